//! The interactive REPL (`jsrt` with no file on a terminal): line editing and history through
//! rustyline, multi-line input when a statement is incomplete, `.exit`/`.help`, results
//! printed like Node's REPL, and the event loop run between prompts.

use rustyline::error::ReadlineError;

use crate::cli::Options;
use crate::{event_loop, runtime};

const HELP: &str = ".exit     Exit the REPL\n.help     Print this help message\n\nPress Ctrl+C to abort the current expression, Ctrl+D to exit the REPL\n";

/// Whether `src` is unfinished: an open bracket, string, template or block comment at the
/// end (then a SyntaxError only means "keep typing", as in Node's REPL).
fn incomplete(src: &str) -> bool {
    let mut depth: i32 = 0;
    let mut chars = src.chars().peekable();
    let mut quote: Option<char> = None;
    let mut template_depth = Vec::new();
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            match c {
                '\\' => {
                    chars.next();
                }
                '$' if q == '`' && chars.peek() == Some(&'{') => {
                    chars.next();
                    template_depth.push(depth);
                    depth += 1;
                    quote = None;
                }
                c if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut closed = false;
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        closed = true;
                        break;
                    }
                    prev = n;
                }
                if !closed {
                    return true;
                }
            }
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if template_depth.last() == Some(&depth) {
                    template_depth.pop();
                    quote = Some('`');
                }
            }
            _ => {}
        }
    }
    depth > 0 || quote.is_some()
}

pub fn run(opts: Options) -> i32 {
    let tokio_rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
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
                                let is_syntax = err
                                    .as_object()
                                    .and_then(|o| o.get::<_, String>("name").ok())
                                    .is_some_and(|n| n == "SyntaxError");
                                if is_syntax && incomplete(&src) {
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
        let code = context.with(|ctx| event_loop::hook::<_, i32>(&ctx, "exit", ()).unwrap_or(0));
        // Like `runtime::run`, skip tearing QuickJS down (objects held by native state).
        runtime::exit(code)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn incomplete_input_detection() {
        use super::incomplete;
        assert!(incomplete("const o = { a: [1, 2],"));
        assert!(incomplete("function f() {\n  return 1;"));
        assert!(incomplete("`line one"));
        assert!(incomplete("/* open comment"));
        assert!(!incomplete("const s = '{';"));
        assert!(!incomplete("`${a}` + (1)"));
        assert!(!incomplete("let x = ;"));
        assert!(!incomplete("1 + 2 // (trailing"));
    }
}
