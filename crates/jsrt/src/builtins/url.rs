//! Natives for the WHATWG `URL` class (`js/url.js`): parsing and component setters through
//! the `url` crate, which implements the WHATWG URL standard.

use rquickjs::{function::Opt, Ctx, Function, Object};
use url::{quirks, Url};

fn parts<'js>(ctx: &Ctx<'js>, u: &Url) -> rquickjs::Result<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set("href", quirks::href(u))?;
    o.set("protocol", quirks::protocol(u))?;
    o.set("username", quirks::username(u))?;
    o.set("password", quirks::password(u))?;
    o.set("host", quirks::host(u))?;
    o.set("hostname", quirks::hostname(u))?;
    o.set("port", quirks::port(u))?;
    o.set("pathname", quirks::pathname(u))?;
    o.set("search", quirks::search(u))?;
    o.set("hash", quirks::hash(u))?;
    o.set("origin", quirks::origin(u))?;
    Ok(o)
}

pub fn install<'js>(ctx: &Ctx<'js>, native: &Object<'js>) -> rquickjs::Result<()> {
    let c = || ctx.clone();
    // parse(input, base?) -> parts | null
    native.set(
        "urlParse",
        Function::new(c(), |ctx: Ctx<'js>, input: String, base: Opt<String>| {
            let parsed = match base.0 {
                Some(b) => Url::parse(&b).and_then(|b| b.join(&input)),
                None => Url::parse(&input),
            };
            match parsed {
                Ok(u) => parts(&ctx, &u).map(Some),
                Err(_) => Ok(None),
            }
        })?,
    )?;
    // set(href, component, value) -> parts (unchanged when the value is rejected)
    native.set(
        "urlSet",
        Function::new(c(), |ctx: Ctx<'js>, href: String, what: String, value: String| {
            let mut u = Url::parse(&href).map_err(|e| super::throw(&ctx, "TypeError", &e.to_string(), None))?;
            let _ = match what.as_str() {
                "href" => {
                    u = Url::parse(&value).map_err(|_| {
                        super::throw(&ctx, "TypeError", &format!("Invalid URL: {value}"), Some("ERR_INVALID_URL"))
                    })?;
                    Ok(())
                }
                "protocol" => quirks::set_protocol(&mut u, &value),
                "username" => quirks::set_username(&mut u, &value),
                "password" => quirks::set_password(&mut u, &value),
                "host" => quirks::set_host(&mut u, &value),
                "hostname" => quirks::set_hostname(&mut u, &value),
                "port" => quirks::set_port(&mut u, &value),
                "pathname" => {
                    quirks::set_pathname(&mut u, &value);
                    Ok(())
                }
                "search" => {
                    quirks::set_search(&mut u, &value);
                    Ok(())
                }
                "hash" => {
                    quirks::set_hash(&mut u, &value);
                    Ok(())
                }
                _ => Ok(()),
            };
            parts(&ctx, &u)
        })?,
    )?;
    native.set(
        "pathToFileURL",
        Function::new(c(), |path: String| {
            let mut href = Url::from_file_path(&path).map(|u| u.to_string()).unwrap_or_else(|_| format!("file://{path}"));
            // Url::from_file_path drops a trailing slash; Node keeps it (it marks a directory,
            // which matters when the URL is a base for relative ones).
            if path.len() > 1 && path.ends_with('/') && !href.ends_with('/') {
                href.push('/');
            }
            href
        })?,
    )?;
    native.set(
        "fileURLToPath",
        Function::new(c(), |ctx: Ctx<'js>, href: String| {
            Url::parse(&href)
                .ok()
                .filter(|u| u.scheme() == "file")
                .and_then(|u| u.to_file_path().ok())
                .map(|p| p.to_string_lossy().into_owned())
                .ok_or_else(|| super::throw(&ctx, "TypeError", "The URL must be of scheme file", Some("ERR_INVALID_URL_SCHEME")))
        })?,
    )?;
    Ok(())
}
