//! Regressions of the recall gaps a user's test found on a realistic share (issue 15): each
//! was missed before, each has a fixture of its own, written into a temporary tree.

mod harness;

use harness::TestEnv;
use serde_json::{Value, json};

/// The values of `kind` in the file ending in `file` (with `--reveal`).
fn values(env: &TestEnv, file: &str, kind: &str) -> Value {
    let scan = env.scan(&["--reveal"]);
    scan.kind(file, kind)
        .map_or(Value::Null, |k| k["values"].clone())
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// Bare national numbers under a `Tālrunis` header in a text file that is a table: tabs in
/// UTF-16, semicolons in Windows-1257 (latvian-pii-facts.md §3: 8 digits, mobile 2x, fixed 6x).
#[test]
fn phone_columns_of_text_tables_in_any_encoding() {
    let env = TestEnv::new();
    let table = "Vārds\tTālrunis\nJānis\t26566847\nAnna\t67123456\n";
    env.write("utf16.txt", utf16le(table));
    let semicolons = "Vārds;Mob.\nPēteris;29123456\n";
    env.write("cp1257.txt", encoding_rs::WINDOWS_1257.encode(semicolons).0);
    // Prose with a semicolon in it is no table.
    env.write(
        "piezime.txt",
        "Tālrunis; zvanīt rīt\nne vēlāk kā 26566847\n",
    );
    let scan = env.scan(&["--reveal"]);
    assert_eq!(
        scan.kind("utf16.txt", "phone").unwrap()["values"],
        json!(["+37126566847", "+37167123456"])
    );
    assert_eq!(
        scan.kind("cp1257.txt", "phone").unwrap()["values"],
        json!(["+37129123456"])
    );
    let columns = &scan.file("utf16.txt")["columns"];
    assert_eq!(columns[1]["header"], "Tālrunis", "{columns}");
    assert!(
        scan.files()
            .iter()
            .all(|r| !r["path"].as_str().unwrap().ends_with("piezime.txt")),
        "prose is no table: its bare number has no header"
    );
}

/// A contact line: name, code, e-mail, then an 8-digit mobile in groups.
#[test]
fn a_mobile_after_an_email_on_a_contact_line() {
    let env = TestEnv::new();
    env.write(
        "kontakti.txt",
        "Jānis Bērziņš, 010180-12347, janis@pasts.lv, 26 566 847\n",
    );
    assert_eq!(
        values(&env, "kontakti.txt", "phone"),
        json!(["+37126566847"])
    );
}

/// An internationalised domain and a percent-encoded `@` in a URL's query.
#[test]
fn idn_and_percent_encoded_emails() {
    let env = TestEnv::new();
    env.write(
        "vestule.txt",
        "Rakstiet anna@ķekava.lv vai https://portals.lv/forma?e-pasts=vards%40domens.lv&x=1\n",
    );
    assert_eq!(
        values(&env, "vestule.txt", "email"),
        json!(["anna@ķekava.lv", "vards@domens.lv"])
    );
}

/// A personal code split over two adjacent cells, and one with a space (§1: DDMMYY-CNNNN,
/// 010180-12347 is the reference's valid vector).
#[test]
fn a_personal_code_split_over_two_cells_or_spaced() {
    let env = TestEnv::new();
    env.write(
        "saraksts.csv",
        "Vārds;Personas kods;;E-pasts\nJānis;010180;12347;janis@pasts.lv\n",
    );
    env.write("teksts.txt", "Personas kods 161175 19997.\n");
    let scan = env.scan(&["--reveal"]);
    assert_eq!(
        scan.kind("saraksts.csv", "lv_personal_code").unwrap()["values"],
        json!(["01018012347"])
    );
    assert_eq!(
        scan.kind("teksts.txt", "lv_personal_code").unwrap()["values"],
        json!(["16117519997"])
    );
}

/// The sending client's IP address in e-mail trace headers.
#[test]
fn ips_in_mail_trace_headers() {
    let env = TestEnv::new();
    env.write(
        "zinojums.eml",
        "Received: from pc.example.lv ([195.244.1.7]) by mx.iestade.lv; Tue, 12 Mar 2024 10:15:32 +0200\r\n\
         Received: from [2a02:aa1:1001::5] by relay.iestade.lv\r\n\
         X-Originating-IP: [85.254.17.3]\r\n\
         From: anna@piemers.lv\r\nTo: info@iestade.lv\r\nSubject: Iesniegums\r\n\r\nLabdien!\r\n",
    );
    let scan = env.scan(&["--reveal"]);
    assert_eq!(
        scan.kind("zinojums.eml", "ipv4").unwrap()["values"],
        json!(["195.244.1.7", "85.254.17.3"])
    );
    assert_eq!(
        scan.kind("zinojums.eml", "ipv6").unwrap()["values"],
        json!(["2a02:aa1:1001::5"])
    );
}

/// IPv6 in configuration files, IPv4 of `key = address` lines; a User-Agent's four-part
/// version is not an address.
#[test]
fn addresses_in_configuration_files() {
    let env = TestEnv::new();
    env.write(
        "serveris.conf",
        "listen [::1]:8080\nbind-address = fe80::1%eth0\nRequire ip ::ffff:85.254.17.3\n\
         dns_server = 85.254.17.4\nUser-Agent: App/2.1.1.108 (Linux)\n",
    );
    let scan = env.scan(&["--reveal"]);
    assert_eq!(
        scan.kind("serveris.conf", "ipv6").unwrap()["values"],
        json!(["::1", "::ffff:85.254.17.3", "fe80::1"])
    );
    assert_eq!(
        scan.kind("serveris.conf", "ipv4").unwrap()["values"],
        json!(["85.254.17.4"])
    );
}
