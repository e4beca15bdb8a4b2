//! What isms-site never exposes, tried with the binary as a hostile author
//! would: theme links to files outside, evidence that runs script, content
//! that drives the terminal, cells that a spreadsheet runs as formulas, and
//! spreadsheets built to exhaust memory on import.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");
const AS_OF: &str = "2026-02-01";

fn write(path: &Path, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// A valid content folder with one entry, in `dir/content`.
fn content(dir: &Path) -> PathBuf {
    let c = dir.join("content");
    write(&c.join("site.yaml"), "title: Test register\n");
    write(
        &c.join("register/CI-001.yaml"),
        "title: Patch servers\nidentified: 2025-01-10\nstatus: planned\npriority: high\n",
    );
    c
}

fn run(args: &[&str], paths: &[&Path]) -> Output {
    let mut c = Command::new(BIN);
    c.args(args).env_remove("SOURCE_DATE_EPOCH");
    for p in paths {
        c.arg(p);
    }
    c.output().expect("run isms-site")
}

fn build(content: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut c = Command::new(BIN);
    c.args(["build", "--as-of", AS_OF, "--content"])
        .arg(content)
        .arg("--output")
        .arg(out)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH");
    c.output().expect("run isms-site build")
}

fn check(content: &Path, format: &str) -> Output {
    run(
        &["check", "--as-of", AS_OF, "--format", format, "--content"],
        &[content],
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir`, by relative path.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, fs::read(e.path()).unwrap()));
            }
        }
    }
    out
}

// Finding 8: theme symlinks ------------------------------------------------

#[cfg(unix)]
#[test]
fn symbolic_links_in_a_theme_are_not_followed_into_the_output() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let c = content(tmp.path());
    let secrets = tmp.path().join("secrets");
    write(&secrets.join("passwd"), "root:x:0:0:SECRET-51d2\n");
    let theme = tmp.path().join("themes/x");
    fs::create_dir_all(theme.join("static")).unwrap();
    fs::create_dir_all(theme.join("templates/partials")).unwrap();
    symlink(secrets.join("passwd"), theme.join("static/passwd.css")).unwrap();
    symlink(&secrets, theme.join("static/all")).unwrap();
    symlink(
        secrets.join("passwd"),
        theme.join("templates/partials/counts.html"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = build(&c, &out, &["--theme", theme.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    for link in [
        "static/passwd.css",
        "static/all",
        "templates/partials/counts.html",
    ] {
        let head = format!("{}:1:1: warning: symbolic link", theme.join(link).display());
        assert!(
            err.lines()
                .any(|l| l.starts_with(&head) && l.contains("not followed")),
            "no warning for {link}:\n{err}"
        );
    }
    let site = files(&out);
    assert!(site.iter().any(|(rel, _)| rel == "index.html"));
    for (rel, bytes) in &site {
        assert!(
            !String::from_utf8_lossy(bytes).contains("SECRET-51d2"),
            "{rel} holds the linked file"
        );
    }
    assert!(!out.join("assets/passwd.css").exists());
}

// Finding 10: active content in evidence ------------------------------------

#[test]
fn check_warns_about_evidence_a_browser_would_run_script_from() {
    let tmp = tempfile::tempdir().unwrap();
    let c = content(tmp.path());
    let active = [
        "evidence/report.html",
        "evidence/scans/diagram.SVG",
        "evidence/app.mjs",
    ];
    for rel in active {
        write(&c.join(rel), "<script>alert(document.domain)</script>");
    }
    write(&c.join("evidence/report.pdf"), "%PDF-1.4");
    write(&c.join("evidence/notes.txt"), "plain");

    let o = check(&c, "human");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "warnings only:\n{err}");
    for rel in active {
        let head = format!("{}:1:1: warning: active content", c.join(rel).display());
        let at = err
            .lines()
            .position(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("no warning for {rel}:\n{err}"));
        let hint = err.lines().nth(at + 1).unwrap_or("");
        assert!(
            hint.contains("hint:") && hint.contains("PDF") && hint.contains("sandbox"),
            "{hint}"
        );
    }
    assert!(!err.contains("report.pdf"), "{err}");
    assert!(!err.contains("notes.txt"), "{err}");

    let o = check(&c, "json");
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warned: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["severity"] == "warning" && d["message"].as_str().unwrap().contains("active content")
        })
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(warned.len(), active.len(), "{list:#}");
    for rel in active {
        let file = c.join(rel).display().to_string();
        assert!(warned.contains(&file.as_str()), "{file} not in {warned:?}");
    }
}

// Finding 11: terminal escapes ------------------------------------------------

#[test]
fn content_cannot_send_control_sequences_to_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let c = content(tmp.path());
    // A key and a file name holding "set the window title" and "clear the
    // screen"; YAML's `\e` and `\a` are ESC and BEL.
    write(
        &c.join("register/CI-002.yaml"),
        "title: Patch servers\nidentified: 2025-01-10\nstatus: planned\npriority: high\n\"\\e]0;pwned\\a\": 1\n\"\\e[2J\": 2\n",
    );
    write(
        &c.join("register/CI-\u{1b}]0;pwned\u{7}-\u{1b}[2J\u{202e}.yaml"),
        "title: x\n",
    );
    let o = check(&c, "human");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for raw in [0x1b_u8, 0x07] {
        assert!(!o.stderr.contains(&raw), "raw byte {raw:#x} in:\n{err}");
    }
    assert!(!err.contains('\u{202e}'), "{err}");
    assert!(err.contains("\\u{1b}]0;pwned\\u{7}"), "{err}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
    assert!(
        err.contains("CI-\\u{1b}]0;pwned\\u{7}-\\u{1b}[2J\\u{202e}.yaml"),
        "the file name is not shown escaped:\n{err}"
    );

    // JSON keeps JSON's own escaping: the text round-trips exactly.
    let o = check(&c, "json");
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let text = list.to_string();
    assert!(!o.stdout.contains(&0x1b), "raw ESC in JSON output");
    let parsed = serde_json::to_string(&list).unwrap();
    assert_eq!(text, parsed);
    assert!(
        list.as_array().unwrap().iter().any(|d| d["file"]
            .as_str()
            .unwrap()
            .contains("CI-\u{1b}]0;pwned\u{7}")),
        "{text}"
    );
}

// Finding 12: CSV injection ---------------------------------------------------

/// Cells a spreadsheet could run as formulas, from the issue and OWASP.
const FORMULAS: &[&str] = &[
    "- 2+3+cmd|' /C calc'!A0",
    " =1+1",
    "\n=1+1",
    "\u{ff1d}1+1",
    "\u{ff0b}1+1",
    "\u{ff0d}1+1",
    "\u{ff20}SUM(A1)",
    "\tx",
    "\rx",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1",
    "-x",
    "-3",
    "=HYPERLINK(\"http://evil.example\")",
    "\u{3000}=1+1",
    "'=1+1",
];

/// A spreadsheet runs the cell as a formula (OWASP's list: a start with
/// `= + - @`, also after blanks or in full width, or a tab or CR first).
fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(['\t', '\r'])
        || cell
            .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
            .starts_with([
                '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
            ])
}

#[test]
fn register_csv_neutralises_every_formula_start() {
    let tmp = tempfile::tempdir().unwrap();
    let c = content(tmp.path());
    for (i, f) in FORMULAS.iter().enumerate() {
        let yaml = serde_json::to_string(f).unwrap(); // a valid YAML double-quoted scalar
        write(
            &c.join(format!("register/CI-1{i:02}.yaml")),
            format!(
                "title: Item {i}\ndescription: {yaml}\nowner: {yaml}\nidentified: 2025-01-10\nstatus: planned\npriority: high\n"
            ),
        );
    }
    let out = tmp.path().join("out");
    let o = build(&c, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = fs::read(out.join("register.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("register.json")).unwrap()).unwrap();
    for (i, f) in FORMULAS.iter().enumerate() {
        let id = format!("CI-1{i:02}");
        let row = rows.iter().find(|r| r[col("#")] == *id).unwrap();
        let entry = json["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == *id)
            .unwrap();
        let published = entry["description"].as_str().unwrap().trim_end();
        assert!(!published.is_empty(), "{f:?}");
        assert_eq!(
            &row[col("Description")],
            format!("'{published}"),
            "the description {f:?} is not neutralised"
        );
        // The owner is trimmed on loading; whatever is left must not run.
        let owner = &row[col("Action Owner")];
        assert!(!runs_as_formula(owner), "owner {f:?} gives {owner:?}");
    }
    for row in &rows {
        for cell in row {
            assert!(!runs_as_formula(cell), "{cell:?} in {row:?}");
        }
    }
    // Every cell is quoted, as OWASP asks.
    let text = String::from_utf8_lossy(&bytes[3..]);
    let second = text.split("\r\n").nth(1).unwrap();
    assert!(second.starts_with('"'), "{second}");

    // `import` undoes exactly the apostrophe it added.
    let back = tmp.path().join("back");
    write(&back.join("site.yaml"), "title: Back\n");
    let o = run(
        &["import"],
        &[&out.join("register.csv"), Path::new("--content"), &back],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let (reg, diags) = isms_site::content::load(&isms_site::content::Folder::new(&back), None);
    let reg = reg.unwrap_or_else(|| panic!("{}", diags.render_human(false)));
    let (orig, _) = isms_site::content::load(&isms_site::content::Folder::new(&c), None);
    let orig = orig.unwrap();
    for e in &orig.entries {
        let b = &reg.entries[reg.entry_index(&e.id).unwrap()];
        assert_eq!(
            e.owner.as_deref().map(str::trim),
            b.owner.as_deref().map(str::trim),
            "{}",
            e.id
        );
    }
}

// Finding 15: spreadsheet bombs -------------------------------------------------

/// A real workbook from rust_xlsxwriter, with its first sheet's XML
/// replaced by `sheet` (written compressed).
fn workbook_with_sheet(path: &Path, sheet: &[u8]) {
    workbook_with_parts(path, &[("xl/worksheets/sheet1.xml", sheet)]);
}

/// A real workbook from rust_xlsxwriter, with the named parts replaced.
fn workbook_with_parts(path: &Path, parts: &[(&str, &[u8])]) {
    let size = parts.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "Title").unwrap();
    let good = book.save_to_buffer().unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(good)).unwrap();
    let mut dst = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(size > u32::MAX as usize);
    for i in 0..src.len() {
        let mut part = src.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut body = Vec::new();
        part.read_to_end(&mut body).unwrap();
        dst.start_file(name.as_str(), opts).unwrap();
        match parts.iter().find(|(n, _)| *n == name) {
            Some((_, replaced)) => dst.write_all(replaced).unwrap(),
            None => dst.write_all(&body).unwrap(),
        }
    }
    dst.finish().unwrap();
}

fn sheet_xml(dimension: &str, rows: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><dimension ref=\"{dimension}\"/><sheetData>{rows}</sheetData></worksheet>"
    )
    .into_bytes()
}

fn inline(cell: &str, text: &str) -> String {
    format!("<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
}

/// Imports `file` into a fresh content folder: the process must end on
/// its own with exit code 1 and a `path:line:column: message` and a hint.
fn import_refused(file: &Path, words: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let c = content(tmp.path());
    let o = run(&["import"], &[file, Path::new("--content"), &c]);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "import did not end cleanly:\n{err}"
    );
    let line = err
        .lines()
        .find(|l| l.starts_with(&format!("{}:", file.display())))
        .unwrap_or_else(|| panic!("no error naming the file:\n{err}"));
    for w in words {
        assert!(line.contains(w), "{w:?} not in {line:?}");
    }
    assert!(err.contains("  hint: "), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
}

#[test]
fn a_sheet_declaring_the_whole_grid_is_refused_without_allocating_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("grid.xlsx");
    let rows = format!(
        "<row r=\"1\">{}</row><row r=\"1048576\">{}</row>",
        inline("A1", "Title"),
        inline("XFD1048576", "x")
    );
    workbook_with_sheet(&file, &sheet_xml("A1:XFD1048576", &rows));
    assert!(fs::metadata(&file).unwrap().len() < 20_000);
    import_refused(&file, &[":1048576:16384:", "row 1048576", "100000"]);
}

#[test]
fn a_sheet_past_the_column_limit_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("wide.xlsx");
    let rows = format!(
        "<row r=\"1\">{}{}</row>",
        inline("A1", "Title"),
        inline("XFD1", "x")
    );
    workbook_with_sheet(&file, &sheet_xml("A1:XFD1", &rows));
    import_refused(&file, &[":1:16384:", "column 16384", "1000"]);
}

#[test]
fn a_workbook_that_unpacks_to_too_much_xml_is_refused_before_reading() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bomb.xlsx");
    // 40 MB of rows; deflate packs it into well under a megabyte.
    let row = "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>";
    let rows = row.repeat(40_000_000 / row.len());
    workbook_with_sheet(&file, &sheet_xml("A1", &rows));
    assert!(fs::metadata(&file).unwrap().len() < 2_000_000);
    import_refused(&file, &["xl/worksheets/sheet1.xml", "unpacks to", "MiB"]);
}

#[test]
fn one_huge_cell_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    // In a workbook, and in a CSV file.
    let file = tmp.path().join("cell.xlsx");
    let rows = format!(
        "<row r=\"1\">{}</row><row r=\"2\">{}</row>",
        inline("A1", "Title"),
        inline("A2", &"A".repeat(40_000))
    );
    workbook_with_sheet(&file, &sheet_xml("A1:A2", &rows));
    import_refused(&file, &[":2:1:", "32767 characters"]);

    let csv = tmp.path().join("cell.csv");
    write(
        &csv,
        format!("Title,Status\n{},planned\n", "A".repeat(40_000)),
    );
    import_refused(&csv, &[":2:1:", "32767 characters"]);
}

#[test]
fn one_shared_string_used_by_many_cells_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("shared.xlsx");
    // 50,000 cells all showing one 30,000-character string: 1.5 GB of text.
    let sst = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>{}</t></si></sst>",
        "A".repeat(30_000)
    );
    let rows: String = (1..=5_000)
        .map(|r| {
            let cells: String = ('A'..='J')
                .map(|c| format!("<c r=\"{c}{r}\" t=\"s\"><v>0</v></c>"))
                .collect();
            format!("<row r=\"{r}\">{cells}</row>")
        })
        .collect();
    let sheet = sheet_xml("A1:J5000", &rows);
    workbook_with_parts(
        &file,
        &[
            ("xl/worksheets/sheet1.xml", &sheet),
            ("xl/sharedStrings.xml", sst.as_bytes()),
        ],
    );
    assert!(fs::metadata(&file).unwrap().len() < 1_000_000);
    import_refused(&file, &["32 MiB of text"]);
}

#[test]
fn csv_files_past_the_size_and_row_limits_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.csv");
    let mut f = fs::File::create(&big).unwrap();
    f.write_all(b"Title\n").unwrap();
    let line = format!("{}\n", "x".repeat(1023));
    for _ in 0..33 * 1024 {
        f.write_all(line.as_bytes()).unwrap();
    }
    drop(f);
    import_refused(&big, &[":1:1:", "MiB", "32 MiB"]);

    let long = tmp.path().join("long.csv");
    write(&long, format!("Title\n{}", "x\n".repeat(100_000)));
    import_refused(&long, &[":100001:1:", "row 100001", "100000"]);
}

/// An OpenDocument spreadsheet with one sheet holding `rows` (written
/// as LibreOffice does: the mimetype first and stored, the XML deflated).
fn ods(path: &Path, rows: &str) {
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.3\"><office:body><office:spreadsheet><table:table table:name=\"Register\"><table:table-column table:number-columns-repeated=\"1024\"/>{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    );
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>").unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn ods_text(text: &str, columns: u32) -> String {
    format!(
        "<table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"{columns}\"><text:p>{text}</text:p></table:table-cell>"
    )
}

fn ods_row(cells: &str, rows: u32) -> String {
    format!("<table:table-row table:number-rows-repeated=\"{rows}\">{cells}</table:table-row>")
}

/// LibreOffice pads every row with empty cells to column 1024 and ends
/// every sheet with a million empty rows: none of that counts.
#[test]
fn an_ods_file_as_libreoffice_saves_it_imports() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("register.ods");
    let pad = "<table:table-cell table:style-name=\"ce1\" table:number-columns-repeated=\"1020\"/>";
    let rows = [
        ["Title", "Status", "Identified", "Priority"],
        ["Patch servers", "planned", "2025-01-10", "high"],
        ["Rotate keys", "in progress", "2025-02-01", "low"],
    ]
    .iter()
    .map(|cells| {
        let cells: String = cells.iter().map(|c| ods_text(c, 1)).collect();
        ods_row(&format!("{cells}{pad}"), 1)
    })
    .chain([ods_row(
        "<table:table-cell table:number-columns-repeated=\"1024\"/>",
        1_048_573,
    )])
    .collect::<String>();
    ods(&file, &rows);
    let c = tmp.path().join("content");
    write(&c.join("site.yaml"), "title: Test register\n");
    let o = run(&["import"], &[&file, Path::new("--content"), &c]);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = files(&c.join("register"));
    assert_eq!(written.len(), 2, "{written:?}");
    assert!(
        written
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("Rotate keys")),
        "{written:?}"
    );
}

#[test]
fn an_ods_sheet_repeating_one_cell_past_the_column_limit_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("wide.ods");
    // calamine would expand this into 98 million cells (about 5 GB).
    ods(&file, &ods_row(&ods_text("x", 16_384), 6_000));
    assert!(fs::metadata(&file).unwrap().len() < 2_000);
    import_refused(&file, &[":6000:16384:", "column 16384", "1000"]);
}

#[test]
fn an_ods_sheet_repeating_rows_into_a_huge_grid_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("grid.ods");
    // 99,000 rows of 1,000 cells each: within the row and column limits,
    // 99 million cells once repeated.
    let number = "<table:table-cell office:value-type=\"float\" office:value=\"1\" table:number-columns-repeated=\"1000\"/>";
    ods(&file, &ods_row(number, 99_000));
    assert!(fs::metadata(&file).unwrap().len() < 2_000);
    import_refused(&file, &[":99000:1000:", "more than 1000000 cells"]);
}

#[test]
fn an_ods_cell_repeated_into_gigabytes_of_text_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("text.ods");
    // A 30,000-character cell, 100 times in a row, in 1,000 rows: 3 GB.
    let cell = ods_text(&"A".repeat(30_000), 100);
    ods(&file, &ods_row(&cell, 1_000));
    assert!(fs::metadata(&file).unwrap().len() < 2_000);
    import_refused(&file, &[":1000:100:", "MiB of text"]);

    // One cell of a billion spaces, written as `<text:s text:c="…"/>`.
    let spaces = tmp.path().join("spaces.ods");
    ods(
        &spaces,
        &ods_row(&ods_text("<text:s text:c=\"1000000000\"/>", 1), 1),
    );
    import_refused(&spaces, &[":1:1:", "MiB of text"]);
}

#[test]
fn an_ods_sheet_of_rows_reaching_the_last_column_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("right.ods");
    // Each row is one number in column 1000 after 999 empty cells; calamine
    // keeps the empty ones too: 100 million cells while parsing.
    let row = "<table:table-row><table:table-cell table:number-columns-repeated=\"999\"/><table:table-cell office:value-type=\"float\" office:value=\"1\"/></table:table-row>";
    ods(&file, &row.repeat(100_000));
    assert!(fs::metadata(&file).unwrap().len() < 1_000_000);
    import_refused(&file, &[":1001:1000:", "more than 1000000 cells"]);
}

#[test]
fn an_ods_note_that_never_ends_is_refused_instead_of_hanging() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("note.ods");
    // calamine waits for the note's end tag for ever.
    ods(
        &file,
        "<table:table-row><table:table-cell office:value-type=\"string\"><office:annotation><text:p>note",
    );
    import_refused(&file, &[":1:1:", "not closed"]);
}

/// calamine builds every `.xls` sheet as a dense grid while opening the
/// file, so `.xls` is refused before it is opened.
#[test]
fn an_xls_workbook_is_refused_with_a_way_forward() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("old.xls");
    write(&file, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    import_refused(&file, &[":1:1:", "(.xls) are not read"]);
    let o = run(
        &["import"],
        &[&file, Path::new("--content"), &content(tmp.path())],
    );
    assert!(stderr(&o).contains("save it as .xlsx"), "{}", stderr(&o));
}
