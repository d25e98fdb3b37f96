//! Did-you-mean: the known names close to a mistyped one. Shared by the command
//! line (an unknown item or section) and guide validation (an unknown section in
//! a guide file); build.rs includes it with the guide model.

/// The ids close to `name`, in their given order: a few typos away from the whole
/// id, or one typo away from its start ("mlfow" for "mlflow-tracking").
pub fn close<'a>(name: &str, ids: &[&'a str]) -> Vec<&'a str> {
    let length = name.chars().count();
    ids.iter()
        .copied()
        .filter(|id| {
            // The id's start as long as the name, give or take the one typo.
            let one_typo_from_start = (length.saturating_sub(1)..=length + 1).any(|take| {
                let start: String = id.chars().take(take).collect();
                edit_distance(name, &start) <= 1
            });
            edit_distance(name, id) <= (length / 3).max(1) || (length >= 4 && one_typo_from_start)
        })
        .collect()
}

/// Levenshtein distance, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("automl", "automl"), 0);
        assert_eq!(edit_distance("autom1", "automl"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn close_ids() {
        let ids = ["automl", "mlflow-tracking", "model-registry", "beta"];
        // One substitution from a whole id; a transposition is two edits, within
        // a third of a 6-character name.
        assert_eq!(close("autom1", &ids), ["automl"]);
        assert_eq!(close("atuoml", &ids), ["automl"]);
        // One typo ("mlfow") from the start "mlflo" of a longer id.
        assert_eq!(close("mlfow", &ids), ["mlflow-tracking"]);
        // A doubled letter: one insertion.
        assert_eq!(close("betta", &ids), ["beta"]);
        assert_eq!(close("nosuch", &ids), [] as [&str; 0]);
    }
}
