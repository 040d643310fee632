using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>
/// A duplicate candidate as the finder sees it: its fingerprint (null when it has none: too short, or too long to
/// analyse) and its content keys (<see cref="ContentKeys"/>: identical bytes, identical decoded audio), when known.
/// </summary>
public sealed record DuplicateCandidate(ProbedTrack Track, AudioFingerprint? Fingerprint, IReadOnlyList<string> ContentKeys);

/// <summary>One file of a duplicate group and how it relates to the group's canonical file.</summary>
/// <param name="MatchedBy">how it is known to be the canonical's recording: <see cref="ContentKeys.MatchedBy"/> or fingerprint (canonical: canonical)</param>
public sealed record DuplicateMember(
    ProbedTrack Track,
    bool IsCanonical,
    double SimilarityToCanonical,
    int OffsetItems,
    double OffsetSeconds,
    string Reason,
    string MatchedBy);

/// <summary>
/// Files that are the same recording; one is canonical, and the group's ratings are merged onto it.
/// <see cref="DecidedBy"/> names the <c>dedupe.prefer</c> criterion that separated the canonical from the runner-up.
/// </summary>
public sealed record DuplicateGroup(int GroupId, IReadOnlyList<DuplicateMember> Members, float? MergedRating, string DecidedBy)
{
    public DuplicateMember Canonical => Members.Single(m => m.IsCanonical);
}

/// <summary>What the matcher did, for run.json and the bench.</summary>
/// <param name="MatchedByContent">pairs joined by a content key (identical bytes or decoded audio), before any fingerprint</param>
public sealed record DedupeCounts(int Fingerprinted, int CandidatePairs, int PairsCompared, int PairsMatched, int DuplicateGroups, int NonCanonical,
    int MatchedByContent);
