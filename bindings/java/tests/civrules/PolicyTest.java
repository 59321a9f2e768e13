package civrules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java binding against the bundled policies (run from the source root). */
class PolicyTest {
    static final Path ROOT = Path.of(System.getProperty("civrules.root", "."));
    static final LocalDate AUG_2024 = LocalDate.of(2024, 8, 1);
    static Policy guangzhou;

    @BeforeAll
    static void load() throws Exception {
        guangzhou = Policy.load(ROOT.resolve("policies/cn/guangdong/guangzhou"));
    }

    @AfterAll
    static void close() {
        guangzhou.close();
    }

    /** One member of 74 with a pension and a supporter elsewhere: dibao pays
     *  Guangzhou's 2024 standard 1282 less the pension (民发〔2021〕57号 第十四条). */
    static String elder(String id, int pension) {
        return "{\"id\": \"" + id + "\", \"residence\": \"urban\", \"members\": [{\"id\": \"a\", "
            + "\"birth_date\": \"1950-01-01\", \"able_to_work\": false, \"supporters\": [{\"relation\": \"child\", "
            + "\"birth_date\": \"1985-01-01\"}]}], \"income\": [{\"member\": \"a\", \"kind\": \"pension\", "
            + "\"monthly\": \"" + pension + "\"}], \"assets\": {\"financial\": \"0\"}}";
    }

    @Test
    void aFamilyIsEvaluatedWithBigDecimalMoneyAndEnums() throws Exception {
        String json = Files.readString(ROOT.resolve("examples/households/gz-family.json"));
        Result r = guangzhou.evaluate(json, AUG_2024);
        assertEquals("GZ-0001", r.household());
        assertEquals(AUG_2024, r.date());
        // 1282 x 3 - 1000 (民发〔2021〕57号 第十四条)
        assertEquals(new BigDecimal("2846.00"), r.totalMonthly());
        ProgramResult dibao = r.program("dibao").orElseThrow();
        assertEquals(Status.ELIGIBLE, dibao.status());
        assertEquals("DIBAO_ELIGIBLE", dibao.reasons().get(0).code());
        // money facts are exact values, never strings to parse: the standard is a
        // decimal, the per-capita income 1000 / 3 (it does not end) a Fraction
        assertEquals(new BigDecimal("1282.00"), dibao.facts().get("standard"));
        assertEquals(Long.valueOf(3), dibao.facts().get("size"));
        assertEquals(new Fraction(1000, 3), dibao.facts().get("per_capita_income"));
        Fraction perCapita = dibao.exact("per_capita_income").orElseThrow();
        assertEquals("1000/3", perCapita.toString());
        assertEquals(new BigDecimal("333.33"), perCapita.toBigDecimal(2, java.math.RoundingMode.HALF_UP));
        assertTrue(!perCapita.isDecimal());
        assertEquals(new Fraction(1282, 1), dibao.exact("standard").orElseThrow());
        assertEquals(new BigDecimal("1282"), dibao.exact("standard").orElseThrow().toBigDecimal());
        // (1282 - 1000/3) x 3 = 2846, exactly (民发〔2021〕57号 第十四条)
        assertEquals(new Fraction(284600, 100),
                     new Fraction(dibao.exact("standard").orElseThrow().numerator().multiply(java.math.BigInteger.valueOf(3))
                                      .subtract(java.math.BigInteger.valueOf(1000)), java.math.BigInteger.ONE));
        assertEquals(Fraction.parse("-0.50"), new Fraction(-1, 2));
        // the child's parents are not on record: child support cannot be decided
        ProgramResult child = r.program("child_support").orElseThrow();
        assertEquals(Status.UNDETERMINED, child.status());
        MemberLine m3 = child.members().stream().filter(l -> l.member().equals("m3")).findFirst().orElseThrow();
        assertEquals(Status.UNDETERMINED, m3.status());
        assertEquals(List.of("members[m3].parents"), m3.missing());
        assertTrue(r.json().startsWith("{\"household\":\"GZ-0001\",\"date\":\"2024-08-01\""));
    }

    @Test
    void aProgramThatCannotBeEvaluatedDoesNotSinkTheOthers() throws Exception {
        // tests/fixtures/bundles/late_care: no care-subsidy amount before 2025-01-01
        String care = "{\"id\": \"LC-1\", \"residence\": \"urban\", \"members\": [{\"id\": \"a\", "
            + "\"birth_date\": \"1960-01-01\", \"disability\": {\"type\": \"physical\", \"grade\": 1}, "
            + "\"self_care\": \"none\", \"supporters\": [{\"relation\": \"child\", \"birth_date\": \"1985-01-01\"}]}], "
            + "\"income\": [{\"member\": \"a\", \"kind\": \"pension\", \"monthly\": \"100\"}], "
            + "\"assets\": {\"financial\": \"0\"}}";
        try (Policy late = Policy.load(ROOT.resolve("tests/fixtures/bundles/late_care"))) {
            Result r = late.evaluate(care, AUG_2024);
            assertTrue(!r.failed());
            // dibao 700 - 100 (民发〔2021〕57号 第十四条) and the living subsidy 100 (国发〔2015〕52号)
            assertEquals(new BigDecimal("600.00"), r.program("dibao").orElseThrow().monthly());
            assertTrue(r.program("dibao").orElseThrow().error().isEmpty());
            assertEquals(new BigDecimal("100.00"), r.program("disability_living").orElseThrow().monthly());
            assertEquals(new BigDecimal("700.00"), r.totalMonthly());
            ProgramResult c = r.program("disability_care").orElseThrow();
            assertEquals(Status.ERROR, c.status());
            assertEquals(Status.ERROR, c.members().get(0).status());
            CivrulesException e = c.error().orElseThrow();
            assertEquals("CIVR-5003", e.id());
            assertEquals(ROOT.resolve("policies/cn/disability.yaml").toString(), e.file());
            assertEquals(36, e.line());
            assertTrue(e.getMessage().contains("parameter 'disability_care.amount' has no value on 2024-08-01"),
                       e.getMessage());
        }
    }

    @Test
    void aBadHouseholdThrowsWithItsIdAndPosition() {
        CivrulesException e = assertThrows(CivrulesException.class, () -> guangzhou.evaluate(
            "{\"id\": \"B\", \"members\": [{\"id\": \"a\", \"birth_date\": \"1950-02-30\"}]}", AUG_2024));
        assertEquals("CIVR-2004", e.id());
        assertEquals("<household>", e.file());
        assertEquals(1, e.line());
        assertTrue(e.column() > 1, "column " + e.column());
        assertTrue(e.getMessage().startsWith("<household>:1:"), e.getMessage());
        assertTrue(e.detail().contains("members[a].birth_date"), e.detail());
        CivrulesException d = assertThrows(CivrulesException.class,
            () -> guangzhou.evaluate(elder("X", 1), LocalDate.of(1899, 1, 1)));
        assertEquals(-8, d.code()); // CIVR_EDATA: a year before 1900 is not a date the library takes
        assertTrue(d.detail().contains("1899-01-01"), d.detail());
    }

    @Test
    void aBatchKeepsOrderAndGivesErrorRecordsInPlace() {
        List<String> batch = List.of(elder("H1", 100), "{\"id\": \"H2\", \"members\": [", elder("H3", 300));
        List<Result> out = guangzhou.evaluateMany(batch, AUG_2024);
        assertEquals(3, out.size());
        assertEquals(new BigDecimal("1182.00"), out.get(0).totalMonthly());
        assertTrue(out.get(1).failed());
        CivrulesException e = out.get(1).error().orElseThrow();
        assertEquals("CIVR-1002", e.id());
        assertEquals("<household>:2", e.file());
        assertEquals(-4, e.code()); // CIVR_ESYNTAX
        assertEquals(new BigDecimal("982.00"), out.get(2).totalMonthly());
    }

    @Test
    void charactersOutsideTheBmpSurviveJni() {
        Result r = guangzhou.evaluate(elder("户-𠀋-😀", 100), AUG_2024);
        assertEquals("户-𠀋-😀", r.household());
        assertEquals("户-𠀋-😀", guangzhou.evaluateMany(List.of(elder("户-𠀋-😀", 1)), AUG_2024).get(0).household());
    }

    @Test
    void bundlesThatAreMissingOrBroken() {
        assertThrows(NoSuchFileException.class, () -> Policy.load(ROOT.resolve("no/such/bundle")));
        // tests/fixtures/broken/expr_type/expected.txt
        CivrulesException e = assertThrows(CivrulesException.class,
            () -> Policy.load(ROOT.resolve("tests/fixtures/broken/expr_type")));
        assertEquals("CIVR-3003", e.id());
        assertEquals(5, e.line());
        assertEquals(32, e.column());
        assertTrue(e.file().endsWith("tests/fixtures/broken/expr_type/policy.yaml"), e.file());
    }

    @Test
    void onePolicySharedByThreadsGivesTheSameAnswers() throws Exception {
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++)
            batch.add(elder("H" + i, i));
        List<Result> one = guangzhou.evaluateMany(batch, AUG_2024);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++)
                futures.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (String h : batch)
                        mine.add(guangzhou.evaluate(h, AUG_2024).json());
                    return mine;
                }));
            for (Future<List<String>> f : futures) {
                List<String> got = f.get();
                for (int i = 0; i < batch.size(); i++)
                    assertEquals(one.get(i).json(), got.get(i));
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(new BigDecimal("1182.00"), one.get(100).totalMonthly()); // H100: 1282 - 100
    }

    @Test
    void closingIsIdempotentAndFinal() throws Exception {
        Policy p = Policy.load(ROOT.resolve("policies/cn/hunan/changde/jinshi"));
        assertEquals("cn/hunan/changde/jinshi", p.id());
        p.evaluate(elder("J", 1), LocalDate.of(2024, 3, 1));
        p.close();
        p.close();
        assertThrows(IllegalStateException.class, () -> p.evaluate(elder("J", 1), LocalDate.of(2024, 3, 1)));
    }

    /** The fixture bundle tests/fixtures/bundles/textbook/printing prints the
     *  dibao amount from an after_amount hook; the textbook standard is 700
     *  (民发〔2021〕57号 第十四条), so a pension of 300 leaves 400.00 and of 100, 600.00. */
    @Test
    void whatAHookPrintsIsInTheResultWithoutACallback() throws Exception {
        try (Policy p = Policy.load(ROOT.resolve("tests/fixtures/bundles/textbook/printing"))) {
            Result r = p.evaluate(elder("P1", 300), AUG_2024);
            assertEquals(new BigDecimal("400.00"), r.totalMonthly());
            assertEquals(1, r.log().size());
            LogLine line = r.log().get(0);
            assertEquals("dibao", line.program());
            assertEquals("dibao.after_amount", line.hook());
            assertEquals("amount\t400.00\tsize\t1", line.text());
            assertEquals(false, line.truncated());
            assertEquals(0, r.logDropped());
            // an id ending in "!" also prints byte 255 (not UTF-8) and U+1D11E (outside the BMP)
            Result odd = p.evaluateMany(List.of(elder("P2!", 100)), AUG_2024).get(0);
            assertEquals(List.of("amount\t600.00\tsize\t1", "odd \ufffd bytes\t\ud834\udd1e"),
                         odd.log().stream().map(LogLine::text).collect(Collectors.toList()));
        }
        assertEquals(List.of(), guangzhou.evaluate(elder("G", 100), AUG_2024).log());
    }
}
