// A county system's first use of civrules from Java: one household, then a
// small caseload. Run from the source root (see README.md, "Java"):
//   java -cp build/bindings/java/civrules.jar examples/java/Evaluate.java
import civrules.Policy;
import civrules.ProgramResult;
import civrules.Result;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

public class Evaluate {
    public static void main(String[] args) throws Exception {
        LocalDate date = LocalDate.of(2024, 8, 1);
        try (Policy policy = Policy.load(Path.of("policies/cn/guangdong/guangzhou"))) {
            Result one = policy.evaluate(Files.readString(Path.of("examples/households/gz-family.json")), date);
            System.out.println(one.household() + " " + one.totalMonthly());
            for (ProgramResult p : one.programs())
                System.out.println("  " + p.program() + " " + p.status() + " " + p.monthly());

            List<String> caseload = Files.readAllLines(Path.of("examples/households/batch.jsonl"));
            for (Result r : policy.evaluateMany(caseload, date))
                System.out.println(r.failed() ? r.household() + " error " + r.error().get().id()
                                              : r.household() + " " + r.totalMonthly());
        }
    }
}
