//! Writes the legacy-format fixtures in `tests/fixtures/legacy`: Word 97-2003 `.doc` (a piece
//! table with a Unicode and a compressed piece; an encrypted one), PowerPoint 97-2003 `.ppt`
//! (text atoms inside a container), Outlook `.msg` (sender, recipient, subject, body, a CSV
//! attachment; another forwarding an attached Outlook item that has an attachment of its own)
//! and RTF (code page 1257 escapes, `\u`, a picture, `\info` author; one saved as
//! `.doc`). The Word document also carries summary information naming its author and last author.
//!
//! Run: `cargo run --example make_legacy_fixtures`. The structures follow [MS-DOC] (FIB, CLX,
//! PlcPcd), [MS-PPT] (record headers, TextCharsAtom 0x0FA0, TextBytesAtom 0x0FA8), [MS-OXMSG]
//! (`__substg1.0_` property streams, `__properties_version1.0` fixed properties) and [MS-OLEPS]
//! (the summary information property set); Office is not needed. Expected findings:
//! `tests/fixtures/legacy.expected.json`.

use std::io::{Cursor, Write};
use std::path::Path;

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn compound(streams: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("create");
    for (path, data) in streams {
        if let Some(parent) = Path::new(path).parent()
            && parent != Path::new("/")
            && !file.exists(parent)
        {
            file.create_storage_all(parent).expect("storage");
        }
        let mut stream = file.create_stream(path).expect("stream");
        stream.write_all(data).expect("write");
    }
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

/// A Word document whose text is two pieces: `unicode` (UTF-16LE) then `ascii` (compressed).
fn doc(unicode: &str, ascii: &str, encrypted: bool) -> Vec<u8> {
    let mut word = vec![0u8; 0x800];
    word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
    let flags: u16 = 0x0200 | if encrypted { 0x0100 } else { 0 };
    word[0x0A..0x0C].copy_from_slice(&flags.to_le_bytes());
    let unicode_fc = word.len() as u32;
    word.extend(utf16(unicode));
    let ascii_fc = word.len() as u32;
    word.extend(ascii.as_bytes());
    let cp1 = unicode.encode_utf16().count() as u32;
    let cp2 = cp1 + ascii.len() as u32;
    let mut plc = Vec::new();
    for cp in [0, cp1, cp2] {
        plc.extend(cp.to_le_bytes());
    }
    for fc in [unicode_fc, (ascii_fc * 2) | 0x4000_0000] {
        plc.extend([0, 0]);
        plc.extend(fc.to_le_bytes());
        plc.extend([0, 0]);
    }
    let mut clx = vec![0x02];
    clx.extend((plc.len() as u32).to_le_bytes());
    clx.extend(plc);
    let mut table = vec![0u8; 16];
    let fc_clx = table.len() as u32;
    table.extend(&clx);
    word[0x01A2..0x01A6].copy_from_slice(&fc_clx.to_le_bytes());
    word[0x01A6..0x01AA].copy_from_slice(&(clx.len() as u32).to_le_bytes());
    compound(&[
        ("/WordDocument", word),
        ("/1Table", table),
        (
            "/\u{5}SummaryInformation",
            summary_information(b"Anna B\xE7rzi\xF2a", "Jānis Ozoliņš"),
        ),
    ])
}

/// The format id of the summary information property set.
const SUMMARY_INFORMATION: [u8; 16] = [
    0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9,
];

/// A summary information stream (MS-OLEPS 2.21): header, one section with a code page (1257),
/// an 8-bit author (`PIDSI_AUTHOR`, VT_LPSTR) and a UTF-16 last author (`PIDSI_LASTAUTHOR`,
/// VT_LPWSTR).
fn summary_information(author: &[u8], last_author: &str) -> Vec<u8> {
    let mut lpstr = 0x1Eu32.to_le_bytes().to_vec();
    lpstr.extend((author.len() as u32 + 1).to_le_bytes());
    lpstr.extend(author);
    lpstr.push(0);
    let units: Vec<u16> = last_author.encode_utf16().chain([0]).collect();
    let mut lpwstr = 0x1Fu32.to_le_bytes().to_vec();
    lpwstr.extend((units.len() as u32).to_le_bytes());
    lpwstr.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    let code_page = [2u32.to_le_bytes(), 1257u32.to_le_bytes()].concat();
    let properties = [(1u32, code_page), (4, lpstr), (8, lpwstr)];
    let count = properties.len() as u32;
    let index_len = 8 + 8 * properties.len();
    let (mut index, mut values) = (Vec::new(), Vec::new());
    for (id, mut value) in properties {
        value.resize(value.len().next_multiple_of(4), 0);
        index.extend(id.to_le_bytes());
        index.extend(((index_len + values.len()) as u32).to_le_bytes());
        values.extend(value);
    }
    let mut data = vec![0xFE, 0xFF, 0, 0, 0, 0, 0, 0];
    data.extend([0; 16]);
    data.extend(1u32.to_le_bytes());
    data.extend(SUMMARY_INFORMATION);
    data.extend(48u32.to_le_bytes());
    data.extend(((index_len + values.len()) as u32).to_le_bytes());
    data.extend(count.to_le_bytes());
    data.extend(index);
    data.extend(values);
    data
}

fn ppt_record(ver: u16, kind: u16, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(ver.to_le_bytes());
    out.extend(kind.to_le_bytes());
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn ppt(slides: &[&str], ascii_note: &str) -> Vec<u8> {
    let mut inner = Vec::new();
    for text in slides {
        inner.extend(ppt_record(0, 0x0FA0, &utf16(text)));
    }
    inner.extend(ppt_record(0, 0x0FA8, ascii_note.as_bytes()));
    inner.extend(ppt_record(0, 0x0FF5, &[0; 4]));
    let document = ppt_record(0x000F, 0x03E8, &inner);
    compound(&[("/PowerPoint Document", document)])
}

fn msg() -> Vec<u8> {
    let prop = |tag: &str| format!("/__substg1.0_{tag}001F");
    compound(&[
        ("/__properties_version1.0", vec![0; 32]),
        (&prop("0C1A"), utf16("Anna Bērziņa")),
        (&prop("5D01"), utf16("anna.berzina@piemers.lv")),
        (&prop("0037"), utf16("Iesniegums par pabalstu")),
        (
            &prop("1000"),
            utf16("Labdien!\r\nMans personas kods ir 050788-12379, tālr. 26000005.\r\nAnna"),
        ),
        (
            "/__recip_version1.0_#00000000/__substg1.0_3001001F",
            utf16("Sociālais dienests"),
        ),
        (
            "/__recip_version1.0_#00000000/__substg1.0_39FE001F",
            utf16("dienests@iestade.lv"),
        ),
        (
            "/__recip_version1.0_#00000001/__substg1.0_3001001F",
            utf16("Jānis Ozoliņš"),
        ),
        (
            "/__recip_version1.0_#00000001/__substg1.0_39FE001F",
            utf16("janis.ozolins@piemers.lv"),
        ),
        (
            "/__recip_version1.0_#00000001/__properties_version1.0",
            recipient_type(2),
        ),
        (
            "/__attach_version1.0_#00000000/__substg1.0_3707001F",
            utf16("saraksts.csv"),
        ),
        (
            "/__attach_version1.0_#00000000/__substg1.0_37010102",
            "Vārds;Personas kods\nJānis;161175-19997\n"
                .as_bytes()
                .to_vec(),
        ),
    ])
}

/// A message forwarding an Outlook item as an attachment (attach method 5, the item's
/// properties in the attachment's `__substg1.0_3701000D` storage), which has a file attached.
fn forwarding_msg() -> Vec<u8> {
    let prop = |tag: &str| format!("/__substg1.0_{tag}001F");
    let item = "/__attach_version1.0_#00000000/__substg1.0_3701000D";
    compound(&[
        ("/__properties_version1.0", vec![0; 32]),
        (&prop("0C1A"), utf16("Ilze Kalniņa")),
        (&prop("5D01"), utf16("ilze.kalnina@iestade.lv")),
        (&prop("0037"), utf16("FW: Iesniegums")),
        (&prop("1000"), utf16("Pārsūtu iesniegumu izskatīšanai.")),
        (
            "/__attach_version1.0_#00000000/__substg1.0_3707001F",
            utf16("Iesniegums"),
        ),
        (&format!("{item}/__properties_version1.0"), vec![0; 24]),
        (
            &format!("{item}/__substg1.0_0C1A001F"),
            utf16("Pēteris Liepa"),
        ),
        (
            &format!("{item}/__substg1.0_5D01001F"),
            utf16("peteris.liepa@piemers.lv"),
        ),
        (&format!("{item}/__substg1.0_0037001F"), utf16("Iesniegums")),
        (
            &format!("{item}/__substg1.0_1000001F"),
            utf16("Mans personas kods ir 150390-11113."),
        ),
        (
            &format!("{item}/__attach_version1.0_#00000000/__substg1.0_3707001F"),
            utf16("izzina.txt"),
        ),
        (
            &format!("{item}/__attach_version1.0_#00000000/__substg1.0_37010102"),
            "Izziņa: tālr. 26000005\n".as_bytes().to_vec(),
        ),
    ])
}

/// A recipient's property stream: an 8-byte header, then PidTagRecipientType (0x0C15, PT_LONG)
/// as a 16-byte fixed property entry (1 = To, 2 = Cc, 3 = Bcc).
fn recipient_type(kind: u32) -> Vec<u8> {
    let mut stream = vec![0; 8];
    stream.extend(0x0C15_0003u32.to_le_bytes());
    stream.extend(2u32.to_le_bytes());
    stream.extend(kind.to_le_bytes());
    stream.extend([0; 4]);
    stream
}

const RTF: &str = r"{\rtf1\ansi\ansicpg1257\deff0{\fonttbl{\f0\fnil Times New Roman;}}{\*\generator Riched20;}
{\info{\author Anna B\'e7rzi\'f2a}{\operator J\'e2nis}}\viewkind4\uc1\pard\f0\fs24 L\'ccGUMS Nr. 12\par
Pirc\'e7js: J\'e2nis Ozoli\'f2\'f0, personas kods 050788-12379,\par
t\'e2lr. +371 26000005, e-pasts {\b janis.ozolins@piemers.lv}\par
{\pict\pngblip 89504e470d0a1a0a}\u256?dolfs, konts LV80BANK0000435195001\par
}";

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy");
    std::fs::create_dir_all(&dir).expect("fixture folder");
    let files: [(&str, Vec<u8>); 7] = [
        (
            "iesniegums.doc",
            doc(
                "Iesniegums\rEs, Jānis Ozoliņš, personas kods 050788-12379,\rlūdzu ...\r",
                "Kontakti: janis.ozolins@piemers.lv, +371 26000005\r",
                false,
            ),
        ),
        ("sifrets.doc", doc("personas kods 050788-12379\r", "", true)),
        (
            "prezentacija.ppt",
            ppt(
                &[
                    "Projekta komanda",
                    "Atbildīgā: Anna Bērziņa\re-pasts anna.berzina@piemers.lv",
                ],
                "Piezimes: tel. 26000005",
            ),
        ),
        ("vestule.msg", msg()),
        ("parsutita.msg", forwarding_msg()),
        ("ligums.rtf", RTF.as_bytes().to_vec()),
        ("vecs_ligums.doc", RTF.as_bytes().to_vec()),
    ];
    for (name, data) in files {
        std::fs::write(dir.join(name), data).expect("write fixture");
    }
    println!("wrote {}", dir.display());
}
