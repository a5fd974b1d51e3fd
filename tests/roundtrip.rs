//! A JSON round trip loses nothing: random sequences of what people do (record, retract,
//! reorganise, register and remove users, set the title, edit methods and units), then
//! export → import into a fresh database → export give the same JSON, and every table's
//! carried columns hold the same values in both databases. The schema is held to the list
//! of where each column goes (`store::TABLES`), so a new table or column cannot be left out
//! of the export unnoticed.

mod common;

use std::path::Path;

use proptest::prelude::*;
use rusqlite::Connection;
use rusqlite::types::Value;
use spridning::domain::{NewEvent, Stage};
use spridning::store::{Carried, MethodInput, Reorganisation, Store, TABLES};

use common::{Sandbox, one_line_failure};

const USER: &str = "tester";
const UNITS: [&str; 8] = ["FA", "SN", "KI", "RI", "SH", "HV", "BR", "EAV"];
/// SSH public keys people may be given (made with `ssh-keygen -t ed25519`).
const KEYS: [&str; 3] = [
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMj2iUBji/9MgaFGTN/UokN+BY2GBZpl/ORBK+0GCQIv key1",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKTNXkRk/mzH3gkkcAKC+XJBpzI4LEs0UBfwDfaq8GTR key2",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDth31eARnDECgCakGYOqOXlwac+n0p2IVtGRMWtSW6w",
];

const LOGINS: [&str; 3] = ["anna", "bertil", "cecilia"];

#[derive(Debug, Clone)]
enum Op {
    Adopt {
        method: usize,
        unit: usize,
        stage: usize,
        year: i32,
        month: u32,
    },
    Retract {
        nth: usize,
    },
    Reorganise {
        from: usize,
        into: usize,
        new: bool,
        year: i32,
        carry: bool,
    },
    UserAdd {
        login: usize,
        role: usize,
        unit: usize,
    },
    UserRemove {
        login: usize,
    },
    KeyAdd {
        login: usize,
        key: usize,
    },
    KeyRemove {
        login: usize,
        key: usize,
    },
    Title {
        text: Option<String>,
    },
    EditMethod {
        method: usize,
        text: String,
    },
    EditUnit {
        unit: usize,
        region: Option<String>,
    },
    AddMethod {
        name: String,
    },
    RenameUnit {
        unit: usize,
        code: String,
        name: Option<String>,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let text = "[a-zåäö ]{1,12}";
    prop_oneof![
        4 => (0..4usize, 0..UNITS.len(), 0..7usize, 2000..2026i32, 1..13u32).prop_map(
            |(method, unit, stage, year, month)| Op::Adopt { method, unit, stage, year, month }
        ),
        1 => (0..20usize).prop_map(|nth| Op::Retract { nth }),
        1 => (0..UNITS.len(), 0..UNITS.len(), any::<bool>(), 2001..2026i32, any::<bool>())
            .prop_map(|(from, into, new, year, carry)| Op::Reorganise { from, into, new, year, carry }),
        1 => (0..LOGINS.len(), 0..3usize, 0..UNITS.len())
            .prop_map(|(login, role, unit)| Op::UserAdd { login, role, unit }),
        1 => (0..LOGINS.len()).prop_map(|login| Op::UserRemove { login }),
        2 => (0..LOGINS.len(), 0..KEYS.len()).prop_map(|(login, key)| Op::KeyAdd { login, key }),
        1 => (0..LOGINS.len(), 0..KEYS.len())
            .prop_map(|(login, key)| Op::KeyRemove { login, key }),
        1 => proptest::option::of(text).prop_map(|text| Op::Title { text }),
        1 => (0..4usize, text).prop_map(|(method, text)| Op::EditMethod { method, text }),
        1 => (0..UNITS.len(), proptest::option::of(text))
            .prop_map(|(unit, region)| Op::EditUnit { unit, region }),
        1 => "[A-Z][a-z]{2,10}".prop_map(|name| Op::AddMethod { name }),
        1 => (0..UNITS.len(), "[A-Z]{2,3}", proptest::option::of("[A-Z][a-zåäö]{3,10}"))
            .prop_map(|(unit, code, name)| Op::RenameUnit { unit, code, name }),
    ]
}

/// Does `op`; a refusal (a unit closed on the day, a role, a name taken) is part of the
/// game and changes nothing.
fn apply(store: &mut Store, op: &Op) {
    let methods = store.methods().unwrap();
    let unit = |store: &Store, i: usize| store.find_unit(UNITS[i]).map(|u| u.0);
    let _ = match op {
        Op::Adopt {
            method,
            unit: u,
            stage,
            year,
            month,
        } => {
            let m = &methods[method % methods.len()];
            let Ok(unit_id) = unit(store, *u) else {
                return;
            };
            store
                .record_stage(&NewEvent {
                    method_id: m.id,
                    unit_id,
                    stage: Stage::ALL[*stage],
                    date: format!("{year}-{month:02}").parse().unwrap(),
                    note: format!("not {year}"),
                    source: "prop".into(),
                })
                .map(|_| ())
        }
        Op::Retract { nth } => {
            let history = store.history(&Default::default()).unwrap();
            match history.get(*nth) {
                Some(e) => store.retract(e.id, "fel"),
                None => Ok(()),
            }
        }
        Op::Reorganise {
            from,
            into,
            new,
            year,
            carry,
        } => {
            let (into, codes) = if *new {
                (format!("Ny {year}"), vec![format!("N{}", year % 100)])
            } else {
                (UNITS[*into].to_string(), vec![])
            };
            store
                .reorganise(&Reorganisation {
                    from: vec![UNITS[*from].into()],
                    into: vec![into],
                    codes,
                    region: None,
                    on: format!("{year}-01-01").parse().unwrap(),
                    carry: *carry,
                })
                .map(|_| ())
        }
        Op::UserAdd {
            login,
            role,
            unit: u,
        } => {
            let role = ["coordinator", "member", "viewer"][*role];
            let units = if role == "member" {
                vec![UNITS[*u].to_string()]
            } else {
                vec![]
            };
            store.add_user(LOGINS[*login], role, &units)
        }
        Op::UserRemove { login } => store.remove_user(LOGINS[*login]),
        Op::KeyAdd { login, key } => {
            let key = spridning::domain::ssh_key::PublicKey::parse(KEYS[*key]).unwrap();
            store.add_key(LOGINS[*login], &key)
        }
        Op::KeyRemove { login, key } => store.remove_key(LOGINS[*login], KEYS[*key]).map(|_| ()),
        Op::Title { text } => store.set_title(text.as_deref().unwrap_or("")).map(|_| ()),
        Op::EditMethod { method, text } => {
            let mut m = methods[method % methods.len()].clone();
            m.description = text.clone();
            m.area = text.chars().take(5).collect();
            store.update_method(m.id, m.version, &m)
        }
        Op::EditUnit { unit: u, region } => {
            let Ok(id) = unit(store, *u) else {
                return;
            };
            let mut x = store.unit(id).unwrap();
            x.region = region.clone();
            store.update_unit(id, x.version, &x)
        }
        Op::RenameUnit {
            unit: u,
            code,
            name,
        } => {
            // Found by its place in the list of units, as codes change.
            let units = store.units().unwrap();
            let mut x = units[u % units.len()].clone();
            x.code = code.clone();
            if let Some(name) = name {
                x.name = name.clone();
            }
            store.update_unit(x.id, x.version, &x)
        }
        Op::AddMethod { name } => store
            .add_method(&MethodInput {
                name: name.clone(),
                kind: spridning::domain::MethodKind::Intervention,
                ..Default::default()
            })
            .map(|_| ()),
    };
}

fn export_text(store: &Store) -> String {
    let mut out = Vec::new();
    store.write_export(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every table's carried columns, as rows of values (row ids replaced by the names
/// `TABLES` gives them), in a stable order: the log's and the events' own, the others
/// sorted.
fn carried(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = Connection::open(path).unwrap();
    let mut out = Vec::new();
    for (table, columns) in TABLES {
        let select: Vec<String> = columns
            .iter()
            .filter_map(|(column, how)| match how {
                Carried::Value => Some(format!("t.\"{column}\"")),
                Carried::Ref(sql) => Some(sql.replace("{}", &format!("t.\"{column}\""))),
                Carried::Rebuilt(_) | Carried::Local(_) => None,
            })
            .collect();
        if select.is_empty() {
            continue;
        }
        let in_order = matches!(*table, "change" | "stage_event");
        let sql = format!(
            "SELECT {} FROM \"{table}\" t{}",
            select.join(", "),
            if in_order { " ORDER BY t.rowid" } else { "" }
        );
        let mut stmt = conn.prepare(&sql).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<Vec<Value>> = stmt
            .query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        if !in_order {
            rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        }
        out.push((table.to_string(), rows));
    }
    out
}

fn round_trip(ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.db");
    let mut store = Store::create(&first, USER, Some(USER)).unwrap();
    for name in ["ASI", "FUEL", "Mobil", "Öppna"] {
        store
            .add_method(&MethodInput {
                name: name.into(),
                kind: spridning::domain::MethodKind::Instrument,
                ..Default::default()
            })
            .unwrap();
    }
    for op in ops {
        apply(&mut store, op);
    }
    prop_assert!(store.check().unwrap().is_empty(), "{:?}", store.check());
    let exported = export_text(&store);
    let second = dir.path().join("second.db");
    let mut fresh = Store::create(&second, USER, Some(USER)).unwrap();
    fresh.import_from(exported.as_bytes()).unwrap();
    let again = export_text(&fresh);
    if let Some((i, (a, b))) = exported
        .lines()
        .zip(again.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        prop_assert!(false, "line {}:\n  {a}\n  {b}", i + 1);
    }
    prop_assert_eq!(exported.lines().count(), again.lines().count());
    prop_assert!(fresh.check().unwrap().is_empty(), "{:?}", fresh.check());
    drop((store, fresh));
    for ((table, a), (_, b)) in carried(&first).into_iter().zip(carried(&second)) {
        prop_assert_eq!(a, b, "table {}", table);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_gives_the_same_json_after_any_commands(
        ops in proptest::collection::vec(op(), 0..40)
    ) {
        round_trip(&ops)?;
    }
}

/// The repro: a split and a title, through the command line, and the lineage and the
/// title arrive (the rolled-up matrix too).
#[test]
fn a_split_and_a_title_survive_export_and_import() {
    let sb = Sandbox::init();
    sb.ok(&[
        "reorganise",
        "--from",
        "FA",
        "--into",
        "Farsta Norra,Farsta Södra",
        "--code",
        "FAN,FAS",
        "--on",
        "2025-01-01",
    ]);
    sb.ok(&["title", "Min titel"]);
    let export = sb.ok(&["export", "--format", "json"]);
    let fresh = Sandbox::init();
    fresh.write("in.json", &export);
    fresh.ok(&["import", "in.json"]);
    assert_eq!(fresh.ok(&["title"]).trim(), "Min titel");
    for code in ["FAN", "FAS"] {
        let shown = fresh.ok(&["show", "unit", code]);
        assert!(shown.contains("Took over from: FA."), "{shown}");
    }
    assert_eq!(fresh.ok(&["export", "--format", "json"]), export);
    assert_eq!(
        fresh.ok(&["matrix", "--roll-up", "--format", "csv"]),
        sb.ok(&["matrix", "--roll-up", "--format", "csv"])
    );
}

/// Every table and column of the schema is in `TABLES`, and nothing there is stale: a new
/// table or column must be exported, or said to be rebuilt or local, before this passes.
#[test]
fn every_column_of_the_schema_says_where_it_goes_in_the_export() {
    let sb = Sandbox::init();
    let conn = Connection::open(sb.db()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' ORDER BY m.rowid, p.cid",
        )
        .unwrap();
    let schema: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let listed: Vec<(String, String)> = TABLES
        .iter()
        .flat_map(|(t, cols)| cols.iter().map(|(c, _)| (t.to_string(), c.to_string())))
        .collect();
    let missing: Vec<_> = schema.iter().filter(|c| !listed.contains(c)).collect();
    let stale: Vec<_> = listed.iter().filter(|c| !schema.contains(c)).collect();
    assert!(
        missing.is_empty(),
        "columns the export does not account for (add them to store/exchange/tables.rs and the export): {missing:?}"
    );
    assert!(stale.is_empty(), "listed but not in the schema: {stale:?}");
}

/// A file that names a unit, a method or a login twice is refused, naming both records, and
/// nothing is written.
#[test]
fn an_import_with_a_duplicate_code_name_or_login_is_refused_naming_both() {
    let sb = Sandbox::sample();
    let export: serde_json::Value =
        serde_json::from_str(&sb.ok(&["export", "--format", "json"])).unwrap();
    type Spoil = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Spoil, &[&str])> = vec![
        (
            "a second unit KS",
            Box::new(|v| {
                let mut ks = v["units"][0].clone();
                ks["code"] = "KS".into();
                ks["name"] = "Kungsholmen igen".into();
                v["units"].as_array_mut().unwrap().push(ks);
            }),
            &["units[", "both called 'KS'"],
        ),
        (
            "a unit named like another",
            Box::new(|v| {
                let name = v["units"][1]["name"].clone();
                v["units"][2]["name"] = name;
            }),
            &["units[1]", "units[2]"],
        ),
        (
            "a user twice",
            Box::new(|v| {
                let u = serde_json::json!({"login": "anna", "role": "viewer"});
                v["users"] = serde_json::json!([u.clone(), u]);
            }),
            &["users[0] (anna) and users[1] (anna)"],
        ),
        (
            "a method twice",
            Box::new(|v| {
                let m = v["methods"][0].clone();
                v["methods"].as_array_mut().unwrap().push(m);
            }),
            &["methods[0]", "both called"],
        ),
    ];
    for (what, spoil, needles) in cases {
        let mut data = export.clone();
        spoil(&mut data);
        let fresh = Sandbox::init();
        fresh.write("in.json", &data.to_string());
        let before = fresh.state();
        let out = fresh.spr(&["import", "in.json"]);
        let line = one_line_failure(&out, needles);
        assert_eq!(fresh.state(), before, "{what}: {line}");
    }
}

/// A change log that names an event twice, or one that is not there, is refused; one that
/// leaves an event out gets its row at the end.
#[test]
fn an_import_whose_change_log_repeats_an_event_is_refused_and_a_missing_row_is_added() {
    let sb = Sandbox::sample();
    let export: serde_json::Value =
        serde_json::from_str(&sb.ok(&["export", "--format", "json"])).unwrap();
    let events = export["events"].as_array().unwrap().len();
    let first_event_row = export["changes"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["kind"] == "event")
        .unwrap();
    let mut missing = export.clone();
    missing["changes"]
        .as_array_mut()
        .unwrap()
        .remove(first_event_row);
    let mut twice = export.clone();
    let row = twice["changes"][first_event_row].clone();
    twice["changes"].as_array_mut().unwrap().push(row);
    let mut beyond = export.clone();
    beyond["changes"][first_event_row]["event"] = events.into();
    // Left out (an event added to an export by hand): logged after the file's rows.
    let fresh = Sandbox::init();
    fresh.write("in.json", &missing.to_string());
    fresh.ok(&["import", "in.json"]);
    let again: serde_json::Value =
        serde_json::from_str(&fresh.ok(&["export", "--format", "json"])).unwrap();
    let changes = again["changes"].as_array().unwrap();
    assert_eq!(changes.len(), export["changes"].as_array().unwrap().len());
    let last = &changes[changes.len() - 1];
    assert_eq!(
        (&last["kind"], &last["event"]),
        (
            &"event".into(),
            &export["changes"][first_event_row]["event"]
        )
    );
    fresh.check_ok();
    for (data, needle) in [
        (twice, "has this row already"),
        (beyond, "there is no event"),
    ] {
        let fresh = Sandbox::init();
        fresh.write("in.json", &data.to_string());
        let before = fresh.state();
        one_line_failure(&fresh.spr(&["import", "in.json"]), &[needle]);
        assert_eq!(fresh.state(), before);
    }
}
