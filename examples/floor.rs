//! The floor of a full build: only the work of writing its output. Reads a list of files
//! (one a line: a relative path, a space, a size in bytes; as written by
//! `find OUTPUT -type f -printf '%P %s\n'` on a finished build) and creates those folders
//! and files, with the same sizes (all zero bytes), in an empty folder, timing itself. No
//! reading, parsing or rendering: what is left is the file system's (and the kernel's) cost.
//!
//! Usage: cargo run --release --example floor -- LIST OUT_DIR [THREADS...]
//! OUT_DIR must not exist or be empty. For each thread count (default `1 2`, in that
//! order) the files are written into OUT_DIR/tN, so each run starts from an empty folder.
//! Prints one line per run and then `floor best S s (N threads)`, the faster one.
//! Std only, so the floor does not depend on hallbar's crates.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// One folder to create and the files in it (name, size).
struct Folder {
    dir: PathBuf,
    files: Vec<(PathBuf, usize)>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: floor LIST OUT_DIR [THREADS...]");
        std::process::exit(2);
    }
    let list = fs::read_to_string(&args[0]).unwrap_or_else(|e| fail(&format!("{}: {e}", args[0])));
    let out = PathBuf::from(&args[1]);
    let threads: Vec<usize> = if args.len() > 2 {
        args[2..]
            .iter()
            .map(|t| t.parse().unwrap_or_else(|_| fail("threads: a number")))
            .collect()
    } else {
        vec![1, 2]
    };
    if out.exists()
        && fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        fail(&format!("{} is not empty", out.display()));
    }

    // Files grouped by folder, folders in sorted order (a parent before its children).
    let mut by_dir: BTreeMap<PathBuf, Vec<(PathBuf, usize)>> = BTreeMap::new();
    let (mut count, mut bytes, mut largest) = (0usize, 0usize, 0usize);
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let (path, size) = line
            .rsplit_once(' ')
            .and_then(|(p, s)| Some((p, s.trim().parse::<usize>().ok()?)))
            .unwrap_or_else(|| fail(&format!("not `PATH SIZE`: {line}")));
        let path = Path::new(path);
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = path
            .file_name()
            .unwrap_or_else(|| fail(&format!("no file name: {line}")));
        by_dir
            .entry(dir)
            .or_default()
            .push((PathBuf::from(name), size));
        count += 1;
        bytes += size;
        largest = largest.max(size);
    }
    let zeros = vec![0u8; largest];

    let mut best: Option<(f64, usize)> = None;
    for &n in &threads {
        let root = out.join(format!("t{n}"));
        let folders: Vec<Folder> = by_dir
            .iter()
            .map(|(d, f)| Folder {
                dir: if d.as_os_str().is_empty() {
                    root.clone()
                } else {
                    root.join(d)
                },
                files: f.clone(),
            })
            .collect();
        fs::create_dir_all(&out).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
        let t0 = Instant::now();
        write_all(&root, &folders, &zeros, n.max(1));
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "floor {n} thread{}: {count} files, {} folders, {:.1} MB in {secs:.4} s",
            if n == 1 { "" } else { "s" },
            folders.len(),
            bytes as f64 / 1e6
        );
        if best.is_none_or(|(b, _)| secs < b) {
            best = Some((secs, n));
        }
    }
    if let Some((secs, n)) = best {
        println!(
            "floor best {secs:.4} s ({n} thread{})",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// Creates every folder and file, `threads` workers taking folders off one shared index.
/// A folder whose parent another worker has not made yet gets it made here too
/// (`create_dir_all` first tries `mkdir`, so an existing parent costs nothing more).
fn write_all(root: &Path, folders: &[Folder], zeros: &[u8], threads: usize) {
    fs::create_dir(root).unwrap_or_else(|e| fail(&format!("{}: {e}", root.display())));
    let next = AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(folder) = folders.get(i) else { break };
            if folder.dir != root {
                fs::create_dir_all(&folder.dir)
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", folder.dir.display())));
            }
            for (name, size) in &folder.files {
                let path = folder.dir.join(name);
                let mut file = fs::File::create(&path)
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
                file.write_all(&zeros[..*size])
                    .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
            }
        }
    };
    if threads == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(work);
            }
        });
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("floor: {msg}");
    std::process::exit(1)
}
