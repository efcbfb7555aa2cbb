//! Gradient-boosted decision trees, evaluated: the form of the main-content
//! classifier (`model.rs`, written by `scripts/train.py` from scikit-learn's
//! `HistGradientBoostingClassifier`).

/// A node of a tree: a split on one feature, or a leaf (`left == 0`) with a value.
pub(crate) struct Split {
    pub feature: u8,
    /// Go left if the feature is at most this.
    pub threshold: f32,
    /// Indices of the children in [`Forest::nodes`]; 0 for a leaf (no node points
    /// back to the first root).
    pub left: u16,
    pub right: u16,
    /// The leaf's value.
    pub value: f32,
}

/// A sum of trees giving log-odds.
pub(crate) struct Forest {
    pub baseline: f64,
    /// Each tree's root in `nodes`.
    pub roots: &'static [u16],
    pub nodes: &'static [Split],
}

impl Forest {
    /// The log-odds that `x` is in the positive class. Deterministic: the leaves are
    /// added in a fixed order in f64.
    pub fn log_odds(&self, x: &[f32]) -> f64 {
        let mut sum = self.baseline;
        for &root in self.roots {
            let mut i = usize::from(root);
            loop {
                let node = &self.nodes[i];
                if node.left == 0 {
                    sum += f64::from(node.value);
                    break;
                }
                // A NaN (never produced by the features) goes right.
                i = usize::from(if x[usize::from(node.feature)] <= node.threshold {
                    node.left
                } else {
                    node.right
                });
            }
        }
        sum
    }

    /// The probability that `x` is in the positive class.
    pub fn probability(&self, x: &[f32]) -> f64 {
        1.0 / (1.0 + libm::exp(-self.log_odds(x)))
    }
}
