//! Rounding shared by the numbers certprep computes and the ones it shows. A leaf:
//! it imports nothing of certprep's.

/// Rounds away binary floating-point noise (57.49999999999999 → 57.5), so that a
/// score worked out by hand to a half rounds the way a person expects.
pub fn nine_places(value: f64) -> f64 {
    (value * 1e9).round() / 1e9
}

/// Four decimals, as JSON and CSV write the forecast's figures: more than any
/// display needs, without binary noise (35.099999999999994).
pub fn four_places(value: f64) -> f64 {
    (value * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snap_and_four_places_by_hand() {
        assert_eq!(nine_places(57.49999999999999), 57.5);
        assert_eq!(nine_places(0.1 + 0.2), 0.3);
        assert_eq!(four_places(35.099999999999994), 35.1);
        assert_eq!(four_places(2.0 / 7.0), 0.2857);
    }
}
