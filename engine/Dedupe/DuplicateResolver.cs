using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>
/// Chooses one canonical file per duplicate group — a rated copy first, then the newest mtime, then the shortest path
/// (the seed's order) — and merges ratings: the rating of the most recently modified rated copy.
/// </summary>
public static class DuplicateResolver
{
    public static DuplicateGroup Resolve(IReadOnlyList<(ProbedTrack Track, AudioFingerprint Fingerprint)> members, int maxOffsetItems)
    {
        var ordered = members
            .OrderByDescending(m => m.Track.Track.Rating is not null)
            .ThenByDescending(m => m.Track.Stamp!.Value.MtimeTicks)
            .ThenBy(m => m.Track.Track.Path.Length)
            .ThenBy(m => m.Track.Track.Path, StringComparer.Ordinal)
            .ToList();
        var canonical = ordered[0];
        var reason = CanonicalReason(canonical.Track, ordered[1].Track);
        var merged = members.Where(m => m.Track.Track.Rating is not null)
            .OrderByDescending(m => m.Track.Stamp!.Value.MtimeTicks)
            .ThenBy(m => m.Track.Track.Path, StringComparer.Ordinal)
            .Select(m => m.Track.Track.Rating)
            .FirstOrDefault();
        var result = new List<DuplicateMember> { new(canonical.Track, true, 1.0, 0, 0, reason) };
        foreach (var (track, fingerprint) in ordered.Skip(1))
        {
            var alignment = FingerprintMatcher.Compare(fingerprint.Raw, canonical.Fingerprint.Raw, maxOffsetItems);
            result.Add(new DuplicateMember(track, false, alignment.Similarity, alignment.OffsetItems, alignment.OffsetSeconds,
                $"same recording as {Path.GetFileName(canonical.Track.Track.Path)}"));
        }
        return new DuplicateGroup(0, result.OrderBy(m => m.Track.Track.Path, StringComparer.Ordinal).ToList(), merged);
    }

    /// <summary>Which rule chose the canonical file over the runner-up.</summary>
    private static string CanonicalReason(ProbedTrack canonical, ProbedTrack runnerUp) =>
        canonical.Track.Rating is not null && runnerUp.Track.Rating is null ? "canonical: the only rated copy"
        : canonical.Stamp!.Value.MtimeTicks > runnerUp.Stamp!.Value.MtimeTicks ? "canonical: newest modification time"
        : canonical.Track.Path.Length < runnerUp.Track.Path.Length ? "canonical: shortest path"
        : "canonical: first path in order";
}
