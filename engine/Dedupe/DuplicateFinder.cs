using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>
/// Inside each candidate group: propose pairs (all of them in a small group, the inverted index's in a large one),
/// compare them exactly, join matches into connected components, and resolve each component. Pure: fingerprints come
/// in, groups go out.
/// </summary>
public static class DuplicateFinder
{
    /// <summary>
    /// Groups up to this size are compared all-pairs (at most 2,016 comparisons, milliseconds): blocking needs shared
    /// items, which degenerate fingerprints (pure tones, near-silence) do not have.
    /// </summary>
    public const int AllPairsMembers = 64;

    public static (IReadOnlyList<DuplicateGroup> Groups, DedupeCounts Counts) Find(
        IReadOnlyList<CandidateGroup> candidateGroups,
        IReadOnlyDictionary<string, AudioFingerprint> fingerprints,
        DedupeOptions options,
        int workers = 1)
    {
        var components = new List<List<(ProbedTrack Track, AudioFingerprint Fingerprint)>>();
        int candidatePairs = 0, compared = 0, matched = 0;
        foreach (var group in candidateGroups)
        {
            var members = group.Members.Where(m => fingerprints.ContainsKey(m.Track.Path))
                .Select(m => (Track: m, Fingerprint: fingerprints[m.Track.Path])).ToList();
            if (members.Count < 2) continue;
            var pairs = members.Count <= AllPairsMembers
                ? AllPairs(members.Count)
                : FingerprintBlocking.CandidatePairs(members.Select(m => m.Fingerprint.Raw).ToList());
            candidatePairs += pairs.Count;
            var timed = pairs.Where(p => Math.Abs(members[p.A].Track.Properties!.DurationSeconds - members[p.B].Track.Properties!.DurationSeconds)
                                         <= options.MaxDurationDifferenceSeconds).ToList();
            compared += timed.Count;
            var matches = timed.AsParallel().WithDegreeOfParallelism(Math.Max(1, workers))
                .Where(p => FingerprintMatcher.Compare(members[p.A].Fingerprint.Raw, members[p.B].Fingerprint.Raw, options.MaxOffsetItems).Similarity
                            >= options.Threshold)
                .ToList();
            matched += matches.Count;
            var union = new UnionFind(members.Count);
            foreach (var (a, b) in matches) union.Join(a, b);
            components.AddRange(Enumerable.Range(0, members.Count).GroupBy(union.Root)
                .Where(c => c.Count() >= 2)
                .Select(c => c.Select(i => members[i]).ToList()));
        }
        var groups = components
            .Select(c => DuplicateResolver.Resolve(c, options.MaxOffsetItems))
            .OrderBy(g => g.Members[0].Track.Track.Path, StringComparer.Ordinal)
            .Select((g, i) => g with { GroupId = i + 1 })
            .ToList();
        var counts = new DedupeCounts(fingerprints.Count, candidatePairs, compared, matched, groups.Count, groups.Sum(g => g.Members.Count - 1));
        return (groups, counts);
    }

    private static List<(int A, int B)> AllPairs(int count) =>
        Enumerable.Range(0, count).SelectMany(a => Enumerable.Range(a + 1, count - a - 1).Select(b => (a, b))).ToList();

    private sealed class UnionFind(int count)
    {
        private readonly int[] _parent = Enumerable.Range(0, count).ToArray();

        public int Root(int i)
        {
            while (_parent[i] != i) i = _parent[i] = _parent[_parent[i]];
            return i;
        }

        public void Join(int a, int b) => _parent[Root(a)] = Root(b);
    }
}
