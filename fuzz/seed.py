#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/corpus/<target>/) from the repository's
fixtures and sample share, shaped as each target reads its input (a selector byte first where
a target has one; XML parts taken out of their zip files). Standard library only."""

import pathlib
import zipfile

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO / "fuzz" / "corpus"
FIXTURES = REPO / "tests" / "fixtures"
SHARE = REPO / "examples" / "share"

# The extensions of fuzz_targets/scan_file.rs, in its order.
SCAN_EXTENSIONS = ["txt", "csv", "tsv", "html", "eml", "rtf", "docx", "xlsx", "ods", "odt",
                   "pptx", "pdf", "zip", "gz", "tar", "doc", "xls", "ppt", "msg", "json",
                   "log", "xml"]


def put(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def files(*patterns):
    for root in (FIXTURES, SHARE):
        for pattern in patterns:
            yield from sorted(root.rglob(pattern))


def part(path, name):
    try:
        with zipfile.ZipFile(path) as z:
            return z.read(name)
    except (KeyError, zipfile.BadZipFile):
        return None


def main():
    for path in files("*.txt", "*.csv", "*.tsv", "*.html", "*.log"):
        data = path.read_bytes()
        put("text", path.name, data)
        put("detector", path.name, data)
    for path in files("*.xlsx"):
        sheet = part(path, "xl/worksheets/sheet1.xml")
        strings = part(path, "xl/sharedStrings.xml") or b""
        if sheet:
            put("spreadsheet", path.name, b"\x00" + sheet + b"\x00" + strings)
    for path in files("*.ods"):
        content = part(path, "content.xml")
        if content:
            put("spreadsheet", path.name, b"\x01" + content)
    for path in files("*.xls"):
        put("spreadsheet", path.name, b"\x02" + path.read_bytes())
    for path in files("*.docx"):
        body = part(path, "word/document.xml")
        if body:
            put("office", path.name, b"\x00" + body)
        core = part(path, "docProps/core.xml")
        if core:
            put("office", path.name + ".core", b"\x04" + core)
        put("office", path.name + ".raw", b"\x05" + path.read_bytes())
    for path in files("*.pptx"):
        slide = part(path, "ppt/slides/slide1.xml")
        if slide:
            put("office", path.name, b"\x02" + slide)
    for path in files("*.odt", "*.odp"):
        content = part(path, "content.xml")
        if content:
            put("office", path.name, b"\x03" + content)
    for path in files("*.pdf"):
        put("pdf", path.name, path.read_bytes())
    for path in files("*.rtf"):
        put("rtf", path.name, path.read_bytes())
    for path in files("*.doc", "*.ppt", "*.msg", "*.xls"):
        put("ole", path.name, path.read_bytes())
    for path in files("*.eml"):
        put("mail", path.name, path.read_bytes())
    for path in files("*.zip"):
        put("archive", path.name, b"\x00" + path.read_bytes())
    for path in files("*.gz", "*.tgz"):
        put("archive", path.name, b"\x01" + path.read_bytes())
    for root in (FIXTURES, SHARE):
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            ext = path.suffix.lstrip(".").lower()
            ext = {"tgz": "gz", "odp": "odt", "htm": "html"}.get(ext, ext)
            if ext in SCAN_EXTENSIONS:
                selector = SCAN_EXTENSIONS.index(ext)
                put("scan_file", path.name, bytes([selector]) + path.read_bytes())


if __name__ == "__main__":
    main()
