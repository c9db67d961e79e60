//! The `jsrt` binary: parses the command line and hands over to the runtime.

use jsrt::cli::{self, Action};

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let opts = match cli::parse(&argv) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            // Node's exit code for an invalid command-line option.
            std::process::exit(9);
        }
    };
    let code = match &opts.action {
        Action::Help => {
            print!("{}", cli::HELP);
            0
        }
        Action::Version => {
            println!("v{}", env!("CARGO_PKG_VERSION"));
            0
        }
        Action::Repl if std::io::IsTerminal::is_terminal(&std::io::stdin()) => jsrt::repl::run(opts),
        Action::Repl => {
            // `echo 'code' | jsrt` runs the piped program, like Node.
            let mut o = opts.clone();
            o.action = Action::Stdin;
            jsrt::runtime::run(o)
        }
        _ => jsrt::runtime::run(opts),
    };
    std::process::exit(code);
}
