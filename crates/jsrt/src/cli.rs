//! Command-line parsing: Node-style flags before the script, everything after the script is
//! passed to the program untouched (`process.argv.slice(2)`).
//!
//! Hand-rolled rather than clap because Node's conventions (exit code 9 for a bad option,
//! `-` meaning stdin, options ending at the first positional argument) differ from clap's.

use std::fmt;

/// What the user asked jsrt to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Help,
    Version,
    /// Run a file (`.js`, `.mjs`, `.cjs`, `.wasm`).
    Run { file: String },
    /// `-e CODE`: evaluate a script.
    Eval { code: String },
    /// `-p CODE`: evaluate and print the result.
    Print { code: String },
    /// `-`: read the program from standard input.
    Stdin,
    /// No file: start the REPL (or read stdin when it is not a terminal).
    Repl,
}

/// Limits for the WebAssembly engine, set with `--wasm-*` flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WasmFlags {
    pub stack_size: Option<u64>,
    pub heap_size: Option<u64>,
    pub max_memory: Option<u64>,
    pub max_modules: Option<u64>,
    pub foreign_functions: Option<u64>,
    /// `--wasm-timeout MS`: the time limit of each call from JS into wasm.
    pub timeout_ms: Option<u64>,
    /// `--wasm-max-instructions N`: the instruction budget of each call from JS into wasm.
    pub max_instructions: Option<u64>,
    /// `--wasm-tier interp|compiled|auto` (else `$JSRT_WASM_TIER`, else auto).
    pub tier: Option<jsrt_wasm::compiled::Tier>,
    /// `--wasm-cache-dir DIR`: where compiled code is kept.
    pub cache_dir: Option<String>,
    /// `--no-wasm-cache`: compiled code is not kept.
    pub no_cache: bool,
    /// `--trace-wasm-tier`: say on stderr which tier each module runs in, and why.
    pub trace_tier: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub action: Action,
    /// Arguments after the script (or after `-e CODE`).
    pub args: Vec<String>,
    pub wasm: WasmFlags,
    /// `--input-type=module` for `-e`, `-p` and stdin.
    pub input_module: bool,
    /// `--expose-gc`: a global `gc()` runs a full garbage collection (as in Node).
    pub expose_gc: bool,
    /// `--cpu-prof` (with `--cpu-prof-dir`, `--cpu-prof-name`, `--cpu-prof-interval`).
    pub cpu_prof: Option<crate::profiler::Options>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Unknown option (Node exits 9: "bad option").
    BadOption(String),
    /// An option that needs a value got none.
    MissingValue(String),
    /// A value that does not parse.
    BadValue { flag: String, value: String, why: String },
    /// A flag that only goes with another (`--cpu-prof-dir` without `--cpu-prof`).
    Requires { flag: String, with: String },
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::BadOption(o) => write!(f, "jsrt: bad option: {o}"),
            CliError::MissingValue(o) => write!(f, "jsrt: {o} requires an argument"),
            CliError::BadValue { flag, value, why } => {
                write!(f, "jsrt: invalid value for {flag}: '{value}' ({why})")
            }
            CliError::Requires { flag, with } => write!(f, "jsrt: {flag} must be used with {with}"),
        }
    }
}

pub const HELP: &str = "\
Usage: jsrt [options] [script.js | script.mjs | module.wasm | -] [arguments]

Runs a JavaScript file (ES module or CommonJS) or a WebAssembly module.
With no script and a terminal, starts the REPL.

Options:
  -h, --help                  print this help and exit
  -v, --version               print the jsrt version and exit
  -e, --eval CODE             evaluate CODE as a script
  -p, --print CODE            evaluate CODE and print the result
  -                           read the program from standard input
  --input-type=module|commonjs
                              how to treat -e, -p and stdin input (default: commonjs)
  --expose-gc                 define gc(), which runs a full garbage collection
  --cpu-prof                  write a CPU profile of JS and wasm functions at exit
                              (.cpuprofile: Chrome DevTools, speedscope)
  --cpu-prof-dir DIR          where --cpu-prof writes it (default: the working directory)
  --cpu-prof-name NAME        its file name (default: CPU.<date>.<time>.<pid>.0.001.cpuprofile)
  --cpu-prof-interval US      microseconds between samples (default 1000)
  --wasm-stack-size BYTES     WebAssembly operand/call stack per call (default 512 KiB;
                              16 KiB..64 MiB)
  --wasm-heap-size BYTES      WAMR's app heap per instance, for modules that use its malloc
                              exports (default 0; 0..1 GiB)
  --wasm-max-memory BYTES     largest linear memory a module may have or grow to
                              (default 4 GiB, the wasm32 maximum; 64 KiB..4 GiB)
  --wasm-max-modules N        most WebAssembly modules alive at once (default 100000)
  --wasm-foreign-functions N  distinct functions of other instances a module's instances can
                              call through call_indirect (default 1024, at most 256 or N/4 per
                              function type; 16..65536)
  --wasm-timeout MS           time limit of each call from JS into wasm (wall clock, 1 ms..24
                              h): a call still running then ends with a RuntimeError
  --wasm-max-instructions N   wasm instructions each call from JS into wasm may run (counted
                              by code added to every function; 1..2^62): then a RuntimeError
  --wasm-tier TIER            interp: WAMR's interpreter only; compiled: machine code (LLVM,
                              through jsrt-aotc) for every module that can be compiled;
                              auto (default): cached code at once, modules with 64 KiB of code
                              or more compiled in the background while they start
                              interpreted
  --wasm-cache-dir DIR        where compiled wasm is kept (default $XDG_CACHE_HOME/jsrt/wasm,
                              else ~/.cache/jsrt/wasm)
  --no-wasm-cache             keep no compiled wasm on disk
  --trace-wasm-tier           say on stderr which tier each module runs in, and why

Sizes accept a K, M or G suffix (powers of 1024), e.g. --wasm-stack-size 1M.

Environment:
  NO_COLOR                    disable colours in the REPL
  JSRT_WASM_TIER              the default of --wasm-tier
  JSRT_WASM_CACHE_DIR         the default of --wasm-cache-dir
  JSRT_AOTC                   the wasm compiler to run (default: jsrt-aotc next to jsrt)
";

/// Parses a size such as `65536`, `64K`, `8M`, `1G`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.chars().last() {
        Some('k' | 'K') => (&s[..s.len() - 1], 1u64 << 10),
        Some('m' | 'M') => (&s[..s.len() - 1], 1u64 << 20),
        Some('g' | 'G') => (&s[..s.len() - 1], 1u64 << 30),
        _ => (s, 1),
    };
    let n: u64 = num.parse().map_err(|_| "not a number".to_string())?;
    n.checked_mul(mult).ok_or_else(|| "too large".to_string())
}

pub fn parse(argv: &[String]) -> Result<Options, CliError> {
    let mut opts = Options {
        action: Action::Repl,
        args: Vec::new(),
        wasm: WasmFlags::default(),
        input_module: false,
        expose_gc: false,
        cpu_prof: None,
    };
    let mut prof = ProfFlags::default();
    parse_into(argv, &mut opts, &mut prof)?;
    opts.cpu_prof = prof.finish()?;
    Ok(opts)
}

/// `--cpu-prof` and its companions, as given.
#[derive(Default)]
struct ProfFlags {
    on: bool,
    opts: crate::profiler::Options,
    /// The first companion flag given.
    companion: Option<String>,
}

impl ProfFlags {
    /// Takes one of the `--cpu-prof*` flags (`value` gives its value).
    fn set(&mut self, flag: &str, value: impl FnOnce() -> Result<String, CliError>) -> Result<(), CliError> {
        if flag == "--cpu-prof" {
            self.on = true;
            return Ok(());
        }
        self.companion.get_or_insert_with(|| flag.to_string());
        match flag {
            "--cpu-prof-dir" => self.opts.dir = Some(value()?.into()),
            "--cpu-prof-name" => self.opts.name = Some(value()?),
            "--cpu-prof-interval" => {
                let v = value()?;
                match v.parse::<u64>() {
                    Ok(us) if us > 0 => self.opts.interval_us = us,
                    _ => return Err(CliError::BadValue { flag: flag.into(), value: v, why: "expected microseconds, at least 1".into() }),
                }
            }
            _ => return Err(CliError::BadOption(flag.into())),
        }
        Ok(())
    }

    /// The profiler's options, or the error of a companion without `--cpu-prof` (as Node).
    fn finish(self) -> Result<Option<crate::profiler::Options>, CliError> {
        match (self.on, self.companion) {
            (true, _) => Ok(Some(self.opts)),
            (false, Some(flag)) => Err(CliError::Requires { flag, with: "--cpu-prof".into() }),
            (false, None) => Ok(None),
        }
    }
}

/// Parses flags into `opts` (and `prof`) until the program or the end.
fn parse_into(argv: &[String], opts: &mut Options, prof: &mut ProfFlags) -> Result<(), CliError> {
    let mut i = 0;
    // Returns the value of `--flag VALUE` or `--flag=VALUE`.
    fn value(
        argv: &[String],
        i: &mut usize,
        flag: &str,
        inline: Option<&str>,
    ) -> Result<String, CliError> {
        if let Some(v) = inline {
            return Ok(v.to_string());
        }
        *i += 1;
        argv.get(*i).cloned().ok_or_else(|| CliError::MissingValue(flag.to_string()))
    }
    while i < argv.len() {
        let arg = &argv[i];
        if arg == "-" {
            opts.action = Action::Stdin;
            opts.args = argv[i + 1..].to_vec();
            return Ok(());
        }
        if arg == "--" {
            if let Some(file) = argv.get(i + 1) {
                opts.action = Action::Run { file: file.clone() };
                opts.args = argv[i + 2..].to_vec();
            }
            return Ok(());
        }
        if !arg.starts_with('-') {
            opts.action = Action::Run { file: arg.clone() };
            opts.args = argv[i + 1..].to_vec();
            return Ok(());
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v)),
            _ => (arg.as_str(), None),
        };
        match flag {
            "-h" | "--help" => {
                opts.action = Action::Help;
                return Ok(());
            }
            "-v" | "--version" => {
                opts.action = Action::Version;
                return Ok(());
            }
            "-e" | "--eval" | "-p" | "--print" => {
                let code = value(argv, &mut i, flag, inline)?;
                opts.action = if flag.starts_with("-p") || flag == "--print" {
                    Action::Print { code }
                } else {
                    Action::Eval { code }
                };
                // Like Node, everything after the code belongs to the program.
                opts.args = argv[i + 1..].to_vec();
                return Ok(());
            }
            "--input-type" => {
                let v = value(argv, &mut i, flag, inline)?;
                opts.input_module = match v.as_str() {
                    "module" => true,
                    "commonjs" => false,
                    _ => {
                        return Err(CliError::BadValue {
                            flag: flag.into(),
                            value: v,
                            why: "expected module or commonjs".into(),
                        })
                    }
                };
            }
            "--expose-gc" | "--expose_gc" => opts.expose_gc = true,
            "--no-wasm-cache" => opts.wasm.no_cache = true,
            "--trace-wasm-tier" => opts.wasm.trace_tier = true,
            f if WASM_FLAGS.contains(&f) => parse_wasm_flag(&mut opts.wasm, f, || value(argv, &mut i, flag, inline))?,
            f if f.starts_with("--cpu-prof") => prof.set(f, || value(argv, &mut i, flag, inline))?,
            _ => return Err(CliError::BadOption(arg.clone())),
        }
        i += 1;
    }
    Ok(())
}

/// The engine's flags, parsed by [`parse_wasm_flag`].
const WASM_FLAGS: &[&str] = &["--wasm-stack-size", "--wasm-heap-size", "--wasm-max-memory", "--wasm-max-modules", "--wasm-foreign-functions", "--wasm-max-instructions", "--wasm-timeout", "--wasm-tier", "--wasm-cache-dir"];

/// One of the `--wasm-*` flags (`value` gives its value).
fn parse_wasm_flag(wasm: &mut WasmFlags, flag: &str, value: impl FnOnce() -> Result<String, CliError>) -> Result<(), CliError> {
    fn size(flag: &str, v: String) -> Result<Option<u64>, CliError> {
        parse_size(&v).map(Some).map_err(|why| CliError::BadValue { flag: flag.to_string(), value: v, why })
    }
    match flag {
        "--wasm-stack-size" => wasm.stack_size = size(flag, value()?)?,
        "--wasm-heap-size" => wasm.heap_size = size(flag, value()?)?,
        "--wasm-max-memory" => wasm.max_memory = size(flag, value()?)?,
        "--wasm-max-modules" => wasm.max_modules = size(flag, value()?)?,
        "--wasm-foreign-functions" => wasm.foreign_functions = size(flag, value()?)?,
        "--wasm-max-instructions" => {
            let v = value()?;
            match v.parse::<u64>() {
                Ok(n) if (1..=1u64 << 62).contains(&n) => wasm.max_instructions = Some(n),
                _ => return Err(CliError::BadValue { flag: flag.into(), value: v, why: "expected a count from 1 to 2^62".into() }),
            }
        }
        "--wasm-tier" => {
            let v = value()?;
            wasm.tier = Some(v.parse().map_err(|why| CliError::BadValue { flag: flag.into(), value: v, why })?);
        }
        "--wasm-cache-dir" => wasm.cache_dir = Some(value()?),
        "--wasm-timeout" => {
            let v = value()?;
            match v.parse::<u64>() {
                Ok(ms) if (1..=86_400_000).contains(&ms) => wasm.timeout_ms = Some(ms),
                _ => return Err(CliError::BadValue { flag: flag.into(), value: v, why: "expected milliseconds from 1 to 86400000".into() }),
            }
        }
        _ => return Err(CliError::BadOption(flag.into())),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Options, CliError> {
        parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn file_and_args() {
        let o = p(&["a.js", "--x", "1"]).unwrap();
        assert_eq!(o.action, Action::Run { file: "a.js".into() });
        assert_eq!(o.args, vec!["--x", "1"]);
    }

    #[test]
    fn eval_print_stdin() {
        assert_eq!(p(&["-e", "1+1"]).unwrap().action, Action::Eval { code: "1+1".into() });
        assert_eq!(p(&["--print=2"]).unwrap().action, Action::Print { code: "2".into() });
        assert_eq!(p(&["-", "a"]).unwrap().action, Action::Stdin);
        assert_eq!(p(&[]).unwrap().action, Action::Repl);
        assert_eq!(p(&["-e"]).unwrap_err(), CliError::MissingValue("-e".into()));
    }

    #[test]
    fn bad_option() {
        assert_eq!(p(&["--nope"]).unwrap_err(), CliError::BadOption("--nope".into()));
    }

    #[test]
    fn wasm_sizes() {
        assert!(p(&["--expose-gc", "f.js"]).unwrap().expose_gc);
        assert_eq!(p(&["--wasm-foreign-functions=4K", "f.js"]).unwrap().wasm.foreign_functions, Some(4096));
        assert_eq!(p(&["--wasm-timeout", "250", "f.js"]).unwrap().wasm.timeout_ms, Some(250));
        assert!(p(&["--wasm-timeout=0", "f.js"]).is_err());
        assert!(p(&["--wasm-timeout=1s", "f.js"]).is_err());
        assert_eq!(p(&["--wasm-max-instructions=1000", "f.js"]).unwrap().wasm.max_instructions, Some(1000));
        assert!(p(&["--wasm-max-instructions=0", "f.js"]).is_err());
        assert!(!p(&["f.js", "--expose-gc"]).unwrap().expose_gc, "after the script: the program's argument");
        let o = p(&["--wasm-stack-size", "1M", "--wasm-max-memory=64K", "f.js"]).unwrap();
        assert_eq!(o.wasm.stack_size, Some(1 << 20));
        assert_eq!(o.wasm.max_memory, Some(64 << 10));
        assert!(p(&["--wasm-stack-size", "lots"]).is_err());
        assert_eq!(parse_size("18446744073709551615G"), Err("too large".into()));
    }
}
