//! Gradient-boosted decision trees, evaluated: the form of the main-content
//! classifier (`model.rs`, written by `scripts/train.py` from scikit-learn's
//! `HistGradientBoostingClassifier`).

/// The depth of every tree.
pub(crate) const DEPTH: usize = 3;
const SPLITS: usize = (1 << DEPTH) - 1;
const LEAVES: usize = 1 << DEPTH;

/// A complete binary tree of depth [`DEPTH`] in heap order: split `i` sends a value
/// at most its threshold to `2i + 1`, a greater one to `2i + 2`; past the splits are
/// the leaves. Shallower trees are padded with splits that always go left.
pub(crate) struct Tree {
    pub feature: [u8; SPLITS],
    pub threshold: [f32; SPLITS],
    pub leaf: [f32; LEAVES],
}

/// A sum of trees giving log-odds.
pub(crate) struct Forest {
    pub baseline: f64,
    pub trees: &'static [Tree],
}

impl Forest {
    /// The log-odds that `x` is in the positive class. Deterministic: the leaves are
    /// added in a fixed order in f64.
    pub fn log_odds(&self, x: &[f32]) -> f64 {
        let mut sum = self.baseline;
        for tree in self.trees {
            let mut i = 0;
            for _ in 0..DEPTH {
                // A NaN (never produced by the features) goes left.
                let right = x[usize::from(tree.feature[i])] > tree.threshold[i];
                i = 2 * i + 1 + usize::from(right);
            }
            sum += f64::from(tree.leaf[i - SPLITS]);
        }
        sum
    }

    /// The probability that `x` is in the positive class.
    pub fn probability(&self, x: &[f32]) -> f64 {
        1.0 / (1.0 + libm::exp(-self.log_odds(x)))
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{Forest, Tree};

    /// A tree of depth 2 padded to depth 3 as `scripts/train.py` pads: feature 0 at 1.0,
    /// then feature 1 at 2.0 on the left and a leaf on the right; padding splits have
    /// a threshold of +inf (always left). Leaves no path should reach hold 9.
    static FOREST: Forest = Forest {
        baseline: 0.5,
        trees: &[Tree {
            feature: [0, 1, 0, 0, 0, 0, 0],
            threshold: [
                1.0,
                2.0,
                f32::INFINITY,
                f32::INFINITY,
                f32::INFINITY,
                f32::INFINITY,
                f32::INFINITY,
            ],
            leaf: [-1.0, 9.0, 2.0, 9.0, 3.0, 9.0, 9.0, 9.0],
        }],
    };

    #[test]
    fn splits_go_left_at_the_threshold_and_padding_always_left() {
        assert_eq!(FOREST.log_odds(&[1.0, 2.0]), -0.5); // at both thresholds: left, left
        assert_eq!(FOREST.log_odds(&[0.0, 2.5]), 2.5); // left, right
        assert_eq!(FOREST.log_odds(&[1.5, 100.0]), 3.5); // right, then padding
        assert!((FOREST.probability(&[1.0, 2.0]) - 1.0 / (1.0 + 0.5f64.exp())).abs() < 1e-12);
    }
}
