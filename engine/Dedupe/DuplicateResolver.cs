using SSIS.Batch.Engine.Fingerprint;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>
/// Chooses one canonical file per duplicate group by the <c>dedupe.prefer</c> criteria in order (the first that separates
/// two copies decides; the first path in order breaks a full tie), and merges ratings: the rating of the most recently
/// modified rated copy.
/// </summary>
public static class DuplicateResolver
{
    public const string CanonicalMatch = "canonical";
    public const string FingerprintMatch = "fingerprint";

    public static DuplicateGroup Resolve(IReadOnlyList<DuplicateCandidate> members, IReadOnlyList<CanonicalCriterion> prefer, int maxOffsetItems)
    {
        IOrderedEnumerable<DuplicateCandidate> ordering = members.OrderBy(_ => 0);
        foreach (var criterion in prefer)
            ordering = ordering.ThenByDescending(m => CanonicalPreference.Score(m.Track, criterion));
        var ordered = ordering.ThenBy(m => m.Track.Track.Path, StringComparer.Ordinal).ToList();
        var canonical = ordered[0];
        var (decidedBy, reason) = CanonicalPreference.Separating(canonical.Track, ordered[1].Track, prefer);
        var merged = members.Where(m => m.Track.Track.Rating is not null)
            .OrderByDescending(m => m.Track.Stamp!.Value.MtimeTicks)
            .ThenBy(m => m.Track.Track.Path, StringComparer.Ordinal)
            .Select(m => m.Track.Track.Rating)
            .FirstOrDefault();
        var result = new List<DuplicateMember> { new(canonical.Track, true, 1.0, 0, 0, $"canonical: {reason}", CanonicalMatch) };
        foreach (var member in ordered.Skip(1))
            result.Add(Relate(member, canonical, members, maxOffsetItems));
        return new DuplicateGroup(0, result.OrderBy(m => m.Track.Track.Path, StringComparer.Ordinal).ToList(), merged, decidedBy);
    }

    /// <summary>
    /// A copy against the canonical: a shared content key is an exact match; else the fingerprints' best alignment, taken
    /// from an identical-content stand-in when this copy has no fingerprint of its own.
    /// </summary>
    private static DuplicateMember Relate(DuplicateCandidate member, DuplicateCandidate canonical, IReadOnlyList<DuplicateCandidate> members, int maxOffsetItems)
    {
        var sameAs = $"same recording as {Path.GetFileName(canonical.Track.Track.Path)}";
        if (member.ContentKeys.Intersect(canonical.ContentKeys).FirstOrDefault() is { } shared)
            return new DuplicateMember(member.Track, false, 1.0, 0, 0, sameAs, ContentKeys.MatchedBy(shared));
        var print = member.Fingerprint
                    ?? members.FirstOrDefault(m => m.Fingerprint is not null && m.ContentKeys.Intersect(member.ContentKeys).Any())?.Fingerprint;
        var canonicalPrint = canonical.Fingerprint
                             ?? members.FirstOrDefault(m => m.Fingerprint is not null && m.ContentKeys.Intersect(canonical.ContentKeys).Any())?.Fingerprint;
        // Without a fingerprint on either side the copy joined the group through a chain of content keys: each link exact.
        if (print is null || canonicalPrint is null)
            return new DuplicateMember(member.Track, false, 1.0, 0, 0, sameAs, ContentKeys.MatchedBy(member.ContentKeys[0]));
        var alignment = FingerprintMatcher.Compare(print.Raw, canonicalPrint.Raw, maxOffsetItems);
        return new DuplicateMember(member.Track, false, alignment.Similarity, alignment.OffsetItems, alignment.OffsetSeconds, sameAs, FingerprintMatch);
    }
}
