//! Reading input files with bounds: regular files only, and never more than a stated size.
//!
//! A sample that is a symlink to `/dev/zero` would otherwise be read until memory runs out,
//! and a FIFO would block the reader for ever. The file type is checked without following
//! symlinks before opening, and checked again on the opened handle (the path may have been
//! swapped meanwhile); the read itself stops one byte past the limit.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// The largest sample file read (`spec/samples/**/*.json`): 1 MiB, a thousand times the
/// largest request body the contract describes.
pub const MAX_SAMPLE_BYTES: u64 = 1024 * 1024;

/// Reads a regular file of at most `max` bytes as UTF-8 text. The error says why not, in words
/// that follow "cannot read ...: ".
pub fn read_regular(path: &Path, max: u64) -> Result<String, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    let kind = |t: std::fs::FileType| {
        if t.is_symlink() {
            "a symbolic link"
        } else if t.is_dir() {
            "a directory"
        } else {
            "a device, FIFO or socket"
        }
    };
    if !meta.file_type().is_file() {
        return Err(format!("not a regular file ({})", kind(meta.file_type())));
    }
    let file = File::open(path).map_err(|e| e.to_string())?;
    let opened = file.metadata().map_err(|e| e.to_string())?;
    if !opened.file_type().is_file() {
        return Err(format!("not a regular file ({})", kind(opened.file_type())));
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!("larger than the limit of {max} bytes"));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_small_regular_files_only() {
        let dir = std::env::temp_dir().join(format!("contract-model-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let small = dir.join("small.json");
        std::fs::write(&small, "{}").unwrap();
        assert_eq!(read_regular(&small, 2).as_deref(), Ok("{}"));
        assert_eq!(
            read_regular(&small, 1),
            Err("larger than the limit of 1 bytes".into())
        );
        assert!(read_regular(&dir, 10).unwrap_err().contains("a directory"));
        let link = dir.join("link.json");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&small, &link).unwrap();
        assert!(read_regular(&link, 10).unwrap_err().contains("a symbolic link"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
