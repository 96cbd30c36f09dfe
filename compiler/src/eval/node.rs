//! The parts of Node.js's `path`, `url` and `process` modules that configs and schema files use
//! to compute paths and names. POSIX semantics.

/// Lexically normalizes a POSIX path: collapses `//`, `.` and `..` (keeping leading `..` of a
/// relative path), drops a trailing slash.
pub fn normalize(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (absolute, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

pub fn join(parts: &[String]) -> String {
    let joined: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    if joined.is_empty() {
        return ".".into();
    }
    normalize(&joined.join("/"))
}

pub fn resolve(cwd: &str, parts: &[String]) -> String {
    let mut acc = String::new();
    for p in parts.iter().rev() {
        if p.is_empty() {
            continue;
        }
        acc = if acc.is_empty() {
            p.clone()
        } else {
            format!("{p}/{acc}")
        };
        if p.starts_with('/') {
            return normalize(&acc);
        }
    }
    normalize(&if acc.is_empty() {
        cwd.to_string()
    } else {
        format!("{cwd}/{acc}")
    })
}

pub fn dirname(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => trimmed[..i].to_string(),
        None if p.starts_with('/') => "/".into(),
        None => ".".into(),
    }
}

pub fn basename(p: &str, ext: Option<&str>) -> String {
    let trimmed = p.trim_end_matches('/');
    let base = trimmed.rsplit('/').next().unwrap_or("");
    match ext {
        Some(e) if !e.is_empty() && base.ends_with(e) && base != e => {
            base[..base.len() - e.len()].to_string()
        }
        _ => base.to_string(),
    }
}

pub fn extname(p: &str) -> String {
    let base = basename(p, None);
    match base.rfind('.') {
        Some(0) | None => String::new(),
        Some(i) => base[i..].to_string(),
    }
}

pub fn relative(cwd: &str, from: &str, to: &str) -> String {
    let from = resolve(cwd, &[from.to_string()]);
    let to = resolve(cwd, &[to.to_string()]);
    let a: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out: Vec<&str> = vec![".."; a.len() - common];
    out.extend(&b[common..]);
    out.join("/")
}

/// `url.fileURLToPath`.
pub fn file_url_to_path(u: &str) -> String {
    u.strip_prefix("file://").unwrap_or(u).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_behave_as_node_posix_paths() {
        assert_eq!(
            join(&["a".into(), "../b".into(), "./c.ts".into()]),
            "b/c.ts"
        );
        assert_eq!(join(&["/x/".into(), "y".into()]), "/x/y");
        assert_eq!(
            resolve("/proj", &["src".into(), "db".into()]),
            "/proj/src/db"
        );
        assert_eq!(resolve("/proj", &["/abs".into(), "f".into()]), "/abs/f");
        assert_eq!(dirname("/a/b/c.ts"), "/a/b");
        assert_eq!(basename("/a/b/c.ts", Some(".ts")), "c");
        assert_eq!(extname("c.d.ts"), ".ts");
        assert_eq!(relative("/w", "/w/a/b", "/w/a/c/d"), "../c/d");
        assert_eq!(normalize("./a//b/../c/"), "a/c");
    }
}
