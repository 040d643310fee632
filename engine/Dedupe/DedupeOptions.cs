using SSIS.Batch.Engine.Fingerprint;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>When two fingerprints are the same recording, and which copy of a group is canonical.</summary>
/// <param name="Threshold">share of equal bits at the best offset (AcoustID: about 0.9)</param>
/// <param name="MaxOffsetItems">alignment search, items either way (120 ≈ 15 s)</param>
/// <param name="MaxDurationDifferenceSeconds">AcoustID requires durations within 7 s</param>
/// <param name="Prefer">the canonical copy's criteria, most important first (null: <see cref="CanonicalPreference.Default"/>)</param>
public sealed record DedupeOptions(
    double Threshold = 0.9,
    int MaxOffsetItems = FingerprintMatcher.DefaultMaxOffsetItems,
    double MaxDurationDifferenceSeconds = 7.0,
    IReadOnlyList<CanonicalCriterion>? Prefer = null)
{
    public IReadOnlyList<CanonicalCriterion> PreferOrDefault => Prefer ?? CanonicalPreference.Default;
}
