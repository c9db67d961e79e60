//! The interactive REPL (`jsrt` with no file on a terminal): line editing and history through
//! rustyline, multi-line input when a statement is incomplete, `.exit`/`.help`, results
//! printed like Node's REPL, and the event loop run between prompts.

use rustyline::error::ReadlineError;

use crate::cli::Options;
use crate::{event_loop, runtime};

const HELP: &str = ".exit     Exit the REPL\n.help     Print this help message\n\nPress Ctrl+C to abort the current expression, Ctrl+D to exit the REPL\n";

/// Whether `err` (a SyntaxError's message) means the input only needs more lines.
fn needs_more(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("unexpected end of input")
        || m.contains("unexpected end of string")
        || m.contains("unterminated")
        || m.contains("expecting '}'")
        || m.contains("expecting ')'")
        || m.contains("expecting ']'")
        || m.contains("unexpected eof")
}

pub fn run(opts: Options) -> i32 {
    let tokio_rt = match tokio::runtime::Builder::new_current_thread().enable_time().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("jsrt: cannot start the event loop: {e}");
            return 1;
        }
    };
    tokio_rt.block_on(async {
        let (_rt, context) = match runtime::setup(&opts, None) {
            Ok(pair) => pair,
            Err(code) => return code,
        };
        let mut rl = match rustyline::DefaultEditor::new() {
            Ok(rl) => rl,
            Err(e) => {
                eprintln!("jsrt: cannot start the REPL: {e}");
                return 1;
            }
        };
        let history = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".jsrt_history"));
        if let Some(h) = &history {
            let _ = rl.load_history(h);
        }
        println!("Welcome to jsrt v{}.\nType \".help\" for more information.", env!("CARGO_PKG_VERSION"));
        let mut buffer = String::new();
        loop {
            let prompt = if buffer.is_empty() { "> " } else { "| " };
            match rl.readline(prompt) {
                Ok(line) => {
                    let trimmed = line.trim();
                    if buffer.is_empty() {
                        match trimmed {
                            ".exit" => break,
                            ".help" => {
                                print!("{HELP}");
                                continue;
                            }
                            "" => continue,
                            _ => {}
                        }
                    }
                    buffer.push_str(&line);
                    buffer.push('\n');
                    let src = buffer.clone();
                    let incomplete = context.with(|ctx| {
                        match runtime::eval_script(&ctx, &src) {
                            Ok(v) => {
                                if let Some(s) = v.as_string().and_then(|s| s.to_string().ok()) {
                                    println!("{s}");
                                }
                                false
                            }
                            Err(err) => {
                                let message: String = err
                                    .as_object()
                                    .and_then(|o| o.get::<_, String>("message").ok())
                                    .unwrap_or_default();
                                let is_syntax = err
                                    .as_object()
                                    .and_then(|o| o.get::<_, String>("name").ok())
                                    .is_some_and(|n| n == "SyntaxError");
                                if is_syntax && needs_more(&message) {
                                    return true;
                                }
                                let text: String = event_loop::hook(&ctx, "formatUncaught", (err.clone(),))
                                    .unwrap_or_else(|_| runtime::describe_error(&ctx, &err));
                                eprintln!("{text}");
                                false
                            }
                        }
                    });
                    if incomplete {
                        continue;
                    }
                    let _ = rl.add_history_entry(buffer.trim_end());
                    buffer.clear();
                    event_loop::run(&context, false).await;
                }
                Err(ReadlineError::Interrupted) => {
                    if buffer.is_empty() {
                        println!("(To exit, press Ctrl+D or type .exit)");
                    }
                    buffer.clear();
                }
                Err(ReadlineError::Eof) => break,
                Err(e) => {
                    eprintln!("jsrt: {e}");
                    break;
                }
            }
        }
        if let Some(h) = &history {
            let _ = rl.save_history(h);
        }
        context.with(|ctx| event_loop::hook::<_, i32>(&ctx, "exit", ()).unwrap_or(0))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn incomplete_input_detection() {
        assert!(super::needs_more("unexpected end of input"));
        assert!(!super::needs_more("unexpected token in expression: ')'"));
    }
}
