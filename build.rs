//! Parses and validates the bundled guides (`data/*.yaml`) with the same model
//! and rules as user guides, so a broken data file fails the build, and compiles
//! them in as JSON, which loads several times faster than YAML at run time.

use std::fmt::Write;
use std::path::Path;

#[allow(dead_code)]
#[path = "src/guide/model.rs"]
mod model;
// The guide model's did-you-mean hints, which it finds at `crate::suggest`.
#[path = "src/suggest.rs"]
mod suggest;

fn main() {
    println!("cargo::rerun-if-changed=data");
    println!("cargo::rerun-if-changed=src/guide/model.rs");
    println!("cargo::rerun-if-changed=src/suggest.rs");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let mut paths: Vec<_> = std::fs::read_dir("data")
        .expect("the data directory")
        .map(|entry| entry.expect("a data directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    // The order guides are listed in: associate, then professional.
    paths.sort();

    let mut bundled = format!("const BUNDLED: [(&str, &str); {}] = [\n", paths.len());
    for path in &paths {
        let text = std::fs::read_to_string(path).expect("a readable guide");
        let origin = path.display().to_string();
        let guide = model::Guide::from_yaml(&text, &origin).unwrap_or_else(|error| {
            panic!("invalid bundled guide:\n{error}");
        });
        let stem = path.file_stem().and_then(|stem| stem.to_str());
        assert_eq!(
            stem,
            Some(guide.id.as_str()),
            "{origin}: id must equal the file stem"
        );
        let json_path = Path::new(&out_dir).join(format!("{}.json", guide.id));
        let json = serde_json::to_string(&guide).expect("the model serializes");
        std::fs::write(&json_path, json).expect("write the guide's JSON");
        writeln!(
            bundled,
            "    ({:?}, include_str!(concat!(env!(\"OUT_DIR\"), \"/{}.json\"))),",
            guide.id, guide.id
        )
        .expect("write to a String");
    }
    bundled.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("bundled.rs"), bundled).expect("write bundled.rs");
}
