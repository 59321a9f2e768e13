package civrules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Loads the JNI library once: from the system property
 * {@code civrules.native} (a file path) when set, else from the jar
 * ({@code /civrules/native/libcivrules_jni.so}, copied to a temporary file
 * that is deleted when the JVM exits), else {@code System.loadLibrary}.
 */
final class NativeLibrary {
    private static boolean loaded;

    private NativeLibrary() {}

    static synchronized void load() {
        if (loaded)
            return;
        String path = System.getProperty("civrules.native");
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            try (InputStream in = NativeLibrary.class.getResourceAsStream("/civrules/native/libcivrules_jni.so")) {
                if (in == null) {
                    System.loadLibrary("civrules_jni");
                } else {
                    Path tmp = Files.createTempFile("civrules_jni", ".so");
                    tmp.toFile().deleteOnExit();
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    System.load(tmp.toAbsolutePath().toString());
                }
            } catch (IOException e) {
                throw new UnsatisfiedLinkError("civrules: cannot unpack the native library: " + e);
            }
        }
        loaded = true;
    }
}
