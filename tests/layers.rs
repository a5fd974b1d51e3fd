//! The layers of the code import only downwards: `ui` reads `app`, never the other way
//! round, and `domain` and `layout` (what both need) import neither. The compiler does not
//! hold a crate's modules to this, so this test reads their `use` paths.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir` (or `dir` itself when it is a file).
fn sources(dir: &Path) -> Vec<PathBuf> {
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    let mut files = Vec::new();
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The code of a file without its comments, in one line with no spaces around `::`, `{`, `}`
/// and `,`, so `crate :: { app, ui }` reads as `crate::{app,ui}`.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let line = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        out.push_str(line);
        out.push(' ');
    }
    let mut squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    for tight in ["::", "{", "}", ","] {
        squeezed = squeezed
            .replace(&format!(" {tight}"), tight)
            .replace(&format!("{tight} "), tight);
    }
    squeezed
}

/// The top-level modules a file's paths name after `crate::`, `super::` (any number) or
/// `spridning::`, including those inside a `{…}` group.
fn modules_named(code: &str) -> Vec<String> {
    let mut named = Vec::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for root in ["crate::", "super::", "spridning::"] {
        let mut from = 0;
        while let Some(at) = code[from..].find(root) {
            let start = from + at;
            from = start + root.len();
            // `foo_crate::` or `mysuper::` is not a root, and `super::super::` is one path.
            if code[..start]
                .chars()
                .next_back()
                .is_some_and(|c| is_ident(c) || c == ':')
            {
                continue;
            }
            let mut rest = &code[from..];
            while let Some(r) = rest.strip_prefix("super::") {
                rest = r;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                for item in group[..end].split(',') {
                    let first: String = item.chars().take_while(|c| is_ident(*c)).collect();
                    named.push(first);
                }
            } else {
                named.push(rest.chars().take_while(|c| is_ident(*c)).collect());
            }
        }
    }
    named
}

/// Where a layer's files name a module they must not: (file, module).
fn imports_of(layer: &str, forbidden: &[&str]) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in sources(&root.join(layer)) {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for module in modules_named(&code(&text)) {
            if forbidden.contains(&module.as_str()) {
                let shown = file.strip_prefix(&root).unwrap_or(&file).display();
                found.push((shown.to_string(), module));
            }
        }
    }
    found
}

#[test]
fn app_never_imports_ui() {
    let found = imports_of("app", &["ui"]);
    assert!(
        found.is_empty(),
        "app must not use ui (ui reads app; what both need goes below both, as `layout` \
         does): {found:?}"
    );
}

#[test]
fn domain_and_layout_import_neither_app_nor_ui() {
    for layer in ["domain", "layout.rs"] {
        let found = imports_of(layer, &["app", "ui"]);
        assert!(found.is_empty(), "{layer} is below app and ui: {found:?}");
    }
}

#[test]
fn the_reader_sees_every_form_of_a_path() {
    let named = |text: &str| modules_named(&code(text));
    assert_eq!(named("use crate::ui::layout;"), ["ui"]);
    assert_eq!(
        named("use crate :: {\n  app,\n  ui::text };"),
        ["app", "ui"]
    );
    assert_eq!(named("let h = super::super::ui::help::x();"), ["ui"]);
    assert_eq!(named("spridning::ui::draw(f)"), ["ui"]);
    assert!(
        named("// crate::ui in a comment\nuse crate::tui;")
            .iter()
            .all(|m| m != "ui")
    );
    assert_eq!(named("use other_crate::ui;"), Vec::<String>::new());
}
