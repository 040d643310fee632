using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>One file of a duplicate group and how it relates to the group's canonical file.</summary>
public sealed record DuplicateMember(
    ProbedTrack Track,
    bool IsCanonical,
    double SimilarityToCanonical,
    int OffsetItems,
    double OffsetSeconds,
    string Reason);

/// <summary>Files that are the same recording; one is canonical, and the group's ratings are merged onto it.</summary>
public sealed record DuplicateGroup(int GroupId, IReadOnlyList<DuplicateMember> Members, float? MergedRating)
{
    public DuplicateMember Canonical => Members.Single(m => m.IsCanonical);
}

/// <summary>What the matcher did, for run.json and the bench.</summary>
public sealed record DedupeCounts(int Fingerprinted, int CandidatePairs, int PairsCompared, int PairsMatched, int DuplicateGroups, int NonCanonical);
