//! No input makes the compiler panic: mutated example jobs give `Ok` or `Err`, never a
//! panic. Runs for `STREAMSQL_FUZZ_SECS` seconds (default 60; CI runs the default),
//! deterministic per seed (`STREAMSQL_FUZZ_SEED`), and prints the input that panicked.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

/// xorshift64*: small, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const FRAGMENTS: &[&str] = &[
    "(",
    ")",
    ",",
    ";",
    "'",
    "`",
    "\"",
    "--",
    "/*",
    "*/",
    " AS ",
    " FROM ",
    " WHERE ",
    " GROUP BY ",
    " JOIN ",
    " ON ",
    " SELECT ",
    " NULL ",
    " CAST(",
    " AS BIGINT)",
    " INTERVAL '1' SECOND ",
    " TUMBLE(",
    " ROW_NUMBER() OVER (",
    " PARTITION BY ",
    " ORDER BY ",
    " FOR SYSTEM_TIME AS OF PROCTIME() ",
    " WATERMARK FOR ",
    " PRIMARY KEY (",
    " NOT ENFORCED ",
    " WITH (",
    " = ",
    " <= ",
    " + ",
    " * ",
    " || ",
    " COUNT(DISTINCT ",
    " JSON_VALUE(",
    "'$.a.b'",
    " TABLE(",
    " DESCRIPTOR(",
    " 99999999999999999999 ",
    " -1 ",
    " 1.5e10 ",
    "—",
    "测试",
    "\u{0}",
    "\t",
    "\n",
    " CASE WHEN ",
    " THEN ",
    " END ",
    " IN (",
    " LIKE ",
    " ESCAPE '\\' ",
    " HAVING ",
    " UNION ALL ",
    " EXECUTE STATEMENT SET BEGIN ",
    " END;",
    " SET ",
];

fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut chars: Vec<char> = src.chars().collect();
    let edits = 1 + rng.below(6);
    for _ in 0..edits {
        let len = chars.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => {
                // Delete a short run.
                let end = (at + 1 + rng.below(12)).min(len);
                chars.drain(at.min(len)..end);
            }
            1 => {
                let frag = FRAGMENTS[rng.below(FRAGMENTS.len())];
                chars.splice(at..at, frag.chars());
            }
            2 if len > 2 => {
                // Duplicate a span somewhere else.
                let a = rng.below(len);
                let b = (a + rng.below(80)).min(len);
                let copy: Vec<char> = chars[a..b].to_vec();
                let at = rng.below(chars.len() + 1);
                chars.splice(at..at, copy);
            }
            3 if len > 0 => {
                // Truncate.
                chars.truncate(at);
            }
            4 if len > 1 => {
                // Swap two characters.
                let b = rng.below(len);
                chars.swap(at.min(len - 1), b);
            }
            5 => {
                // Deep nesting.
                let depth = 1 + rng.below(200);
                let s: String = "(".repeat(depth) + "1" + &")".repeat(depth);
                chars.splice(at..at, s.chars());
            }
            _ if len > 0 => {
                // Replace a character with an arbitrary one.
                let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
                chars[at.min(len - 1)] = c;
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut out = Vec::new();
    for dir in [
        "examples/education",
        "examples/iot",
        "tests/seed_text/education",
        "tests/seed_text/iot",
        "compiler/tests/errors",
    ] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "sql") {
                out.push(std::fs::read_to_string(p).unwrap());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn mutated_jobs_never_panic() {
    let secs: u64 = std::env::var("STREAMSQL_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("STREAMSQL_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_5eed);
    let corpus = corpus();
    assert!(corpus.len() >= 15);
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut runs, mut ok, mut err) = (0u64, 0u64, 0u64);
    // Silence the default hook: a panic is reported below with its input.
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        let base = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, base);
        let result = catch_unwind(AssertUnwindSafe(|| {
            let r = streamsql_compiler::compile("job", &input);
            // Rendering must not panic either.
            if let Err(d) = &r {
                let _ = d.render(&streamsql_compiler::SourceFile::new("fuzz.sql", &input));
            }
            r.is_ok()
        }));
        runs += 1;
        match result {
            Ok(true) => ok += 1,
            Ok(false) => err += 1,
            Err(_) => {
                let _ = std::panic::take_hook();
                panic!("the compiler panicked on this input (seed {seed}, run {runs}):\n{input}");
            }
        }
    }
    let _ = std::panic::take_hook();
    println!("{runs} mutated jobs in {secs}s: {ok} compiled, {err} rejected, 0 panics");
    assert!(runs > 100, "too few runs ({runs}) to mean anything");
}
