#!/usr/bin/env python3
"""Writes examples/share: a small sample file share with clearly fake but checksum-valid
personal data in the encodings Latvian institutions really have (UTF-8, UTF-8 with BOM,
Windows-1257, UTF-16LE with and without BOM), plus files piimap must list but cannot read.
Every personal code, IBAN and card number below is made up; check digits are computed here.
Run from the repository root: python3 examples/make_share.py"""
import os, shutil

W = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def pk(ten):  # personal code check digit, reference §1.2 form A
    d = [int(c) for c in ten]
    return ten + str((1101 - sum(a * b for a, b in zip(W, d))) % 11 % 10)
def hy(code):
    return code[:6] + "-" + code[6:]
def iban(cc, bban):
    n = int("".join(str(int(c, 36)) for c in bban + cc + "00"))
    return f"{cc}{98 - n % 97:02d}{bban}"
def grouped(s):
    return " ".join(s[i:i + 4] for i in range(0, len(s), 4))
def luhn(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "share")
shutil.rmtree(root, ignore_errors=True)
def write(rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

people = [
    ("Jānis", "Paraudziņš", pk("0101801234"), "janis.paraudzins@piemers.lv", "26000001"),
    ("Līga", "Testiņa", pk("1503901235"), "liga.testina@piemers.lv", "29000002"),
    ("Ēriks", "Izdomātais", pk("2812651236"), "eriks@piemers.lv", "67000003"),
    ("Žanna", "Parauga", hy(pk("3200000000")), "zanna.paraugs@piemers.lv", "22000004"),
]
iban_a = iban("LV", "HABA0000000000123")
iban_b = iban("LV", "UNLA0000000000456")

rows = ["Nr.p.k.;Vārds;Uzvārds;Personas kods;E-pasts;Tālrunis"]
for i, (v, u, code, mail, tel) in enumerate(people[:3], 1):
    rows.append(f"{i};{v};{u};{hy(code)};{mail};+371 {tel}")
write("personals/darbinieki.csv", ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
write("personals/darbinieki_1257.csv", ("\r\n".join(rows) + "\r\n").encode("cp1257"))

v, u, code, mail, tel = people[3]
letter = f"""Rīgas pilsētas pašvaldībai
Iesniegums

Es, {v} {u}, personas kods {code}, dzīvojot Izdomātā ielā 1, Rīgā, LV-1001,
lūdzu piešķirt sociālo palīdzību. Diagnoze: pievienota ārsta izziņa.
Kontakti: e-pasts {mail}, tālr. {tel[:2]} {tel[2:5]} {tel[5:]}.
Naudu lūdzu pārskaitīt uz kontu {grouped(iban_a)}.
"""
write("iesniegumi/iesniegums_2019.txt", letter.encode("utf-8"))

v, u, code, mail, tel = people[0]
excel_text = f"Vārds\tUzvārds\tPersonas kods\tTālrunis\r\n{v}\t{u}\t{hy(code)}\t+371{tel}\r\n"
write("iesniegumi/unicode_teksts.txt", b"\xff\xfe" + excel_text.encode("utf-16-le"))
v, u, code, mail, tel = people[1]
write("iesniegumi/utf16_bez_bom.txt", f"Pers. kods: {code}; e-pasts {mail}\r\n".encode("utf-16-le"))

# A letter that names people only by name, in their case forms, beside names that are not
# people (a street, a school, a company), and a parent's consent form for a child.
reply = """Rīgas valstspilsētas pašvaldība
Krišjāņa Barona ielā 3, Rīgā

Godātā Žannas Paraugas kundze!

Atbildot uz Jūsu 2019. gada iesniegumu, paziņojam, ka sociālā palīdzība Žannai Paraugai ir
piešķirta. Lietu izskatīja Pēteris Izdomāts; jautājumos vērsties pie J. Paraudziņa.
Pakalpojumu sniedz SIA "Bērziņš un partneri" Jāņa Poruka vidusskolas telpās.

Ar cieņu
Nodaļas vadītāja Anna Paraudziņa
"""
write("iesniegumi/atbilde_2019.txt", reply.encode("utf-8"))

consent = """PIEKRIŠANA BĒRNA FOTOGRAFĒŠANAI

Vecāks (aizbildnis): MĀRIS KALNIŅŠ
Bērna vārds, uzvārds: Katrīna Kalniņa
Bērna dzimšanas datums: 14.05.2016.
Dzīvesvieta: Parauga iela 7-12, Jelgava, LV-3001

Piekrītu, ka manu meitu Katrīnu Kalniņu fotografē skolas pasākumos.
Paraksts: M. Kalniņš
"""
write("iesniegumi/piekrisana_foto.txt", consent.encode("utf-8"))

log = """83.241.12.7 - - [12/Mar/2024:10:15:32 +0200] "GET /pakalpojumi HTTP/1.1" 200 5120
62.85.4.19 - - [12/Mar/2024:10:15:40 +0200] "POST /pieteikums HTTP/1.1" 302 0
2001:db8:85a3::8a2e:370:7334 - - [12/Mar/2024:10:16:02 +0200] "GET / HTTP/1.1" 200 812
Server version 2.4.1.0 started, build 10.0.19041.1234
"""
write("logs/access.log", log.encode("utf-8"))

html = """<html><body><h1>Kontakti</h1>
<p>Lietvedība: <a href="mailto:kanceleja@piemers.lv">kanceleja@piemers.lv</a>, tālrunis +371 67 000 010</p>
<p>Vadītāja: Anna Paraudziņa, <a href="mailto:anna.paraudzina@piemers.lv">rakstīt</a></p>
<img src="logo@2x.png" alt="logo"> <img src="foto@3x.jpg">
</body></html>
"""
write("web/kontakti.html", html.encode("utf-8"))

invoices = f"""Rēķins Nr. 2024/117, datums 12.03.2024.
Pakalpojuma sniedzējs: SIA "Piemērs", reģ. Nr. 40003521600, PVN Nr. LV40003521600
Pasūtītājs: Rīgas valstspilsētas pašvaldība, reģ. Nr. 90000528023
Konts (IBAN): {iban_b}
Summa apmaksai: 26 123 456,00 EUR
Samaksāts ar karti {' '.join([luhn('411111111111111')[i:i+4] for i in range(0, 16, 4)])}, derīga līdz 12/27
Pasūtījuma numurs 71234567890, laika zīmogs 1548138160707
"""
write("finanses/rekini.txt", invoices.encode("utf-8"))

rules = """Iekšējie noteikumi
2.1.1.4. Iestāde nodrošina datu aizsardzību saskaņā ar 2.1.1.5. apakšpunktu.
3.2.1.1. Programmatūras versija v2.1.1.108, Oracle datubāzes versija 12.2.0.1.
Dokumenta ID 3f2504e0-4f89-11d3-9a0c-0305e82c3301, ISBN 978-9984-9999-0-7.
"""
write("noteikumi/noteikumi.txt", rules.encode("utf-8"))

write("attels.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
def pdf(content):
    """A one-page PDF (Helvetica, ASCII text) with `content` as its page content stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)

contract = b"BT /F1 12 Tf 72 760 Td (Ligums Nr. 12/2024) Tj 0 -20 Td " \
           b"(Kontaktpersona: anna.paraudzina@piemers.lv, talr. +371 67000010) Tj ET"
write("ligums.pdf", pdf(contract))
# A "scanned" page: an image and no text layer; piimap must say it could not read it.
write("skenets_ligums.pdf", pdf(b"q 200 0 0 200 72 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x80\x40\x40\x80 EI Q"))
print("wrote", root)
