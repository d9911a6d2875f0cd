//! File formats: what the sniffer says a file is, the name the inventory records it under, and
//! which family of reader reads it.

/// A file format piimap recognises. Its [`name`](Format::name) is the inventory's `format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text.
    Text,
    /// Comma- or semicolon-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// A log file (text).
    Log,
    /// HTML (text, tags and entities decoded as it streams).
    Html,
    /// XML (text, as HTML).
    Xml,
    /// JSON (text).
    Json,
    /// Rich Text Format.
    Rtf,
    /// Word (Office Open XML).
    Docx,
    /// Word with macros.
    Docm,
    /// PowerPoint (Office Open XML).
    Pptx,
    /// PowerPoint with macros.
    Pptm,
    /// OpenDocument text.
    Odt,
    /// OpenDocument presentation.
    Odp,
    /// Excel (Office Open XML).
    Xlsx,
    /// Excel with macros.
    Xlsm,
    /// Excel binary workbook.
    Xlsb,
    /// OpenDocument spreadsheet.
    Ods,
    /// A Compound File Binary container that is none of the formats below.
    Ole,
    /// Word 97-2003.
    Doc,
    /// Excel 97-2003.
    Xls,
    /// PowerPoint 97-2003.
    Ppt,
    /// An Outlook message.
    Msg,
    /// A MIME e-mail message.
    Eml,
    /// PDF.
    Pdf,
    /// A zip archive.
    Zip,
    /// A gzip file (one or more members).
    Gzip,
    /// A tar archive (ustar, GNU, v7).
    Tar,
    /// A Java archive (a zip, not opened).
    Jar,
    /// An EPUB book (a zip, not opened).
    Epub,
    /// A 7-Zip archive.
    SevenZip,
    /// A RAR archive.
    Rar,
    /// A bzip2 stream.
    Bzip2,
    /// An xz stream.
    Xz,
    /// An SQLite database.
    Sqlite,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// GIF image.
    Gif,
    /// TIFF image.
    Tiff,
    /// ELF executable.
    Elf,
    /// Ogg media.
    Ogg,
    /// FLAC audio.
    Flac,
    /// MP3 audio.
    Mp3,
    /// MP4 / QuickTime media.
    Mp4,
    /// A RIFF container (WAV, AVI, WebP).
    Riff,
    /// Binary content of no known format.
    Binary,
}

/// How a format is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Streamed as text, window by window.
    Text,
    /// A document read by its extractor into located text segments (cells, paragraphs, pages,
    /// lines).
    Document,
    /// An e-mail: headers and body as a document, attachments as members.
    Message,
    /// An archive whose members are scanned as files of their own.
    Archive,
    /// A document or archive format piimap does not read (listed as `unsupported_format`).
    Unsupported,
    /// Content without text (listed as `binary`).
    Binary,
}

impl Format {
    /// The name the inventory records (`docx`, `csv`, `7z`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Log => "log",
            Format::Html => "html",
            Format::Xml => "xml",
            Format::Json => "json",
            Format::Rtf => "rtf",
            Format::Docx => "docx",
            Format::Docm => "docm",
            Format::Pptx => "pptx",
            Format::Pptm => "pptm",
            Format::Odt => "odt",
            Format::Odp => "odp",
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Ods => "ods",
            Format::Ole => "ole",
            Format::Doc => "doc",
            Format::Xls => "xls",
            Format::Ppt => "ppt",
            Format::Msg => "msg",
            Format::Eml => "eml",
            Format::Pdf => "pdf",
            Format::Zip => "zip",
            Format::Gzip => "gzip",
            Format::Tar => "tar",
            Format::Jar => "jar",
            Format::Epub => "epub",
            Format::SevenZip => "7z",
            Format::Rar => "rar",
            Format::Bzip2 => "bzip2",
            Format::Xz => "xz",
            Format::Sqlite => "sqlite",
            Format::Png => "png",
            Format::Jpeg => "jpeg",
            Format::Gif => "gif",
            Format::Tiff => "tiff",
            Format::Elf => "elf",
            Format::Ogg => "ogg",
            Format::Flac => "flac",
            Format::Mp3 => "mp3",
            Format::Mp4 => "mp4",
            Format::Riff => "riff",
            Format::Binary => "binary",
        }
    }

    /// How it is read.
    pub fn family(self) -> Family {
        use Format::*;
        match self {
            Text | Csv | Tsv | Log | Html | Xml | Json => Family::Text,
            Rtf | Docx | Docm | Pptx | Pptm | Odt | Odp | Xlsx | Xlsm | Xlsb | Ods | Doc | Xls
            | Ppt | Pdf => Family::Document,
            Msg | Eml => Family::Message,
            Zip | Gzip | Tar => Family::Archive,
            Ole | Jar | Epub | SevenZip | Rar | Bzip2 | Xz | Sqlite => Family::Unsupported,
            Png | Jpeg | Gif | Tiff | Elf | Ogg | Flac | Mp3 | Mp4 | Riff | Binary => {
                Family::Binary
            }
        }
    }

    /// Whether it is a Compound File Binary container, whose streams tell which of these
    /// formats it really is.
    pub fn is_ole(self) -> bool {
        matches!(
            self,
            Format::Ole | Format::Doc | Format::Xls | Format::Ppt | Format::Msg
        )
    }

    /// Whether it is an Office Open XML or OpenDocument package (a zip of parts).
    pub fn is_zip_package(self) -> bool {
        use Format::*;
        matches!(
            self,
            Docx | Docm | Pptx | Pptm | Odt | Odp | Xlsx | Xlsm | Xlsb | Ods
        )
    }

    /// The format of a zip or OLE container named with this extension (`docx`, `xls`...).
    pub fn of_container_extension(extension: &str) -> Option<Format> {
        use Format::*;
        Some(match extension {
            "docx" => Docx,
            "docm" => Docm,
            "xlsx" => Xlsx,
            "xlsm" => Xlsm,
            "xlsb" => Xlsb,
            "pptx" => Pptx,
            "pptm" => Pptm,
            "odt" => Odt,
            "ods" => Ods,
            "odp" => Odp,
            "doc" => Doc,
            "xls" => Xls,
            "ppt" => Ppt,
            "msg" => Msg,
            "jar" => Jar,
            "epub" => Epub,
            _ => return None,
        })
    }

    /// The format of a text file with this extension.
    pub fn of_text_extension(extension: Option<&str>) -> Format {
        match extension {
            Some("csv") => Format::Csv,
            Some("tsv" | "tab") => Format::Tsv,
            Some("log") => Format::Log,
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("xml") => Format::Xml,
            Some("json" | "jsonl" | "ndjson") => Format::Json,
            Some("rtf") => Format::Rtf,
            _ => Format::Text,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn container_extensions_name_their_formats() {
        for ext in [
            "docx", "docm", "xlsx", "xlsm", "xlsb", "pptx", "pptm", "odt", "ods", "odp", "doc",
            "xls", "ppt", "msg", "jar", "epub",
        ] {
            assert_eq!(Format::of_container_extension(ext).unwrap().name(), ext);
        }
        assert_eq!(Format::of_container_extension("txt"), None);
    }

    #[test]
    fn families() {
        assert_eq!(Format::Xls.family(), Family::Document);
        assert_eq!(Format::Msg.family(), Family::Message);
        assert_eq!(Format::Tar.family(), Family::Archive);
        assert_eq!(Format::Ole.family(), Family::Unsupported);
        assert_eq!(Format::Png.family(), Family::Binary);
        assert_eq!(Format::of_text_extension(Some("tab")), Format::Tsv);
        assert_eq!(Format::SevenZip.to_string(), "7z");
    }
}
