//! Errors: invalid modules, failed links, traps, and errors raised by host functions (carried
//! through wasm frames unchanged).

use std::any::Any;
use std::fmt;

/// An error a host function returns; its payload comes back out of the outermost call as is.
pub struct HostError(pub Box<dyn Any>);

impl fmt::Debug for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostError(..)")
    }
}

#[derive(Debug)]
pub enum Error {
    /// The bytes are not a valid module (WAMR's loader message).
    Compile(String),
    /// Instantiation failed for a reason in the imports.
    Link(String),
    /// Instantiation or a call trapped (`unreachable`, `integer divide by zero`, ...).
    Trap(String),
    /// A host function failed; the payload is what it returned.
    Host(HostError),
    /// A limit was exceeded or a resource could not be allocated.
    Resource(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Compile(m) | Error::Link(m) | Error::Trap(m) | Error::Resource(m) => f.write_str(m),
            Error::Host(_) => f.write_str("host function error"),
        }
    }
}

/// Normalises WAMR's exception text ("Exception: integer divide by zero") to the trap name.
pub fn trap_message(raw: &str) -> String {
    let m = raw.strip_prefix("Exception: ").unwrap_or(raw);
    match m {
        "wasm operand stack overflow" | "native stack overflow" => "call stack exhausted".to_string(),
        "undefined element" | "uninitialized element" => m.to_string(),
        // `call_indirect` of a foreign function whose type the module never calls indirectly
        // (foreign.rs gives it an index past every function): a type mismatch by definition.
        "unknown function" => "indirect call type mismatch".to_string(),
        other => other.to_string(),
    }
}
