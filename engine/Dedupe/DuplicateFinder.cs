using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Grouping;

namespace SSIS.Batch.Engine.Dedupe;

/// <summary>
/// Inside each candidate group: join members that share a content key (identical bytes or decoded audio) first, then
/// propose fingerprint pairs (all of them in a small group, the inverted index's in a large one), compare them exactly,
/// join matches into connected components, and resolve each component. Pure: fingerprints and keys come in, groups go out.
/// </summary>
public static class DuplicateFinder
{
    /// <summary>
    /// Groups up to this size are compared all-pairs (at most 2,016 comparisons, milliseconds): blocking needs shared
    /// sampled items, which fingerprints of sparse or quiet music may lack.
    /// </summary>
    public const int AllPairsMembers = 64;

    /// <summary>
    /// Fingerprints with fewer items than this (about 12 s of audio) leave too few sampled items for the index to pair
    /// their copies (a 3 s clip has a handful): in a large group they are indexed by every item, beside the fingerprints
    /// up to <see cref="ShortCopyMarginItems"/> longer (a copy with a little silence added).
    /// </summary>
    public const int MinIndexedItems = 96;

    public const int ShortCopyMarginItems = 32;

    /// <summary>
    /// Fingerprints with fewer items than this (about 4 s) may share no item exactly with a lossy copy (a 3 s clip has
    /// three): each is also compared with its <see cref="TinyNeighbours"/> nearest members by duration on either side,
    /// within <see cref="TinyCopyDurationDifferenceSeconds"/>.
    /// </summary>
    public const int TinyItems = 16;

    public const int TinyNeighbours = 32;

    public const double TinyCopyDurationDifferenceSeconds = 2.0;

    public static (IReadOnlyList<DuplicateGroup> Groups, DedupeCounts Counts) Find(
        IReadOnlyList<CandidateGroup> candidateGroups,
        IReadOnlyDictionary<string, AudioFingerprint> fingerprints,
        IReadOnlyDictionary<string, IReadOnlyList<string>> contentKeys,
        DedupeOptions options,
        int workers = 1)
    {
        var components = new List<List<DuplicateCandidate>>();
        int candidatePairs = 0, compared = 0, matched = 0, byContent = 0;
        foreach (var group in candidateGroups)
        {
            var members = group.Members
                .Select(m => new DuplicateCandidate(m, fingerprints.GetValueOrDefault(m.Track.Path), contentKeys.GetValueOrDefault(m.Track.Path) ?? []))
                .Where(m => m.Fingerprint is not null || m.ContentKeys.Count > 0)
                .ToList();
            if (members.Count < 2) continue;
            var union = new UnionFind(members.Count);
            foreach (var sharing in Enumerable.Range(0, members.Count).SelectMany(i => members[i].ContentKeys.Select(k => (Key: k, Index: i)))
                         .GroupBy(x => x.Key, StringComparer.Ordinal).Where(g => g.Count() >= 2))
            {
                var first = sharing.First().Index;
                foreach (var other in sharing.Skip(1))
                {
                    if (union.Root(first) != union.Root(other.Index)) byContent++;
                    union.Join(first, other.Index);
                }
            }
            // A plain fingerprint (silence, a steady tone) matches any other plain one: such files join by content keys only.
            var printed = Enumerable.Range(0, members.Count).Where(i => members[i].Fingerprint is { IsInformative: true }).ToList();
            var pairs = (printed.Count <= AllPairsMembers
                    ? AllPairs(printed.Count)
                    : IndexedPairs(printed.Select(i => members[i].Fingerprint!.Raw).ToList(),
                        printed.Select(i => members[i].Track.Properties!.DurationSeconds).ToList()))
                .Select(p => (A: printed[p.A], B: printed[p.B]))
                .ToList();
            candidatePairs += pairs.Count;
            var timed = pairs.Where(p => union.Root(p.A) != union.Root(p.B)
                                         && Math.Abs(members[p.A].Track.Properties!.DurationSeconds - members[p.B].Track.Properties!.DurationSeconds)
                                         <= options.MaxDurationDifferenceSeconds).ToList();
            compared += timed.Count;
            var matches = timed.AsParallel().WithDegreeOfParallelism(Math.Max(1, workers))
                .Where(p => FingerprintMatcher.Compare(members[p.A].Fingerprint!.Raw, members[p.B].Fingerprint!.Raw, options.MaxOffsetItems).Similarity
                            >= options.Threshold)
                .ToList();
            matched += matches.Count;
            foreach (var (a, b) in matches) union.Join(a, b);
            components.AddRange(Enumerable.Range(0, members.Count).GroupBy(union.Root)
                .Where(c => c.Count() >= 2)
                .Select(c => c.Select(i => members[i]).ToList()));
        }
        var groups = components
            .Select(c => DuplicateResolver.Resolve(c, options.PreferOrDefault, options.MaxOffsetItems))
            .OrderBy(g => g.Members[0].Track.Track.Path, StringComparer.Ordinal)
            .Select((g, i) => g with { GroupId = i + 1 })
            .ToList();
        var counts = new DedupeCounts(fingerprints.Count, candidatePairs, compared, matched, groups.Count, groups.Sum(g => g.Members.Count - 1), byContent);
        return (groups, counts);
    }

    /// <summary>
    /// The index's pairs over a sample of every fingerprint's items; over every item of the short fingerprints and those a
    /// little longer; and the tiny fingerprints' nearest neighbours by duration.
    /// </summary>
    public static IEnumerable<(int A, int B)> IndexedPairs(IReadOnlyList<uint[]> fingerprints, IReadOnlyList<double> durationsSeconds)
    {
        var sampled = FingerprintBlocking.CandidatePairs(fingerprints);
        var nearShort = Enumerable.Range(0, fingerprints.Count).Where(i => fingerprints[i].Length < MinIndexedItems + ShortCopyMarginItems).ToList();
        if (!nearShort.Any(i => fingerprints[i].Length < MinIndexedItems)) return sampled;
        var dense = FingerprintBlocking.CandidatePairs(nearShort.Select(i => fingerprints[i]).ToList(), everyItem: true)
            .Select(p => (nearShort[p.A], nearShort[p.B]));
        return sampled.Union(dense).Union(TinyNeighbourPairs(fingerprints, durationsSeconds));
    }

    /// <summary>
    /// Pairs (a &lt; b) of a tiny fingerprint and one of its nearest members by duration: a sweep forwards over the files
    /// sorted by duration, and backwards over the longer fingerprints (a tiny one behind it paired already).
    /// </summary>
    private static List<(int A, int B)> TinyNeighbourPairs(IReadOnlyList<uint[]> fingerprints, IReadOnlyList<double> durationsSeconds)
    {
        var byDuration = Enumerable.Range(0, fingerprints.Count).OrderBy(i => durationsSeconds[i]).ToArray();
        bool IsTiny(int x) => fingerprints[byDuration[x]].Length < TinyItems;
        bool Close(int x, int y) => Math.Abs(durationsSeconds[byDuration[x]] - durationsSeconds[byDuration[y]]) <= TinyCopyDurationDifferenceSeconds;
        var pairs = new List<(int A, int B)>();
        void Add(int x, int y) => pairs.Add((Math.Min(byDuration[x], byDuration[y]), Math.Max(byDuration[x], byDuration[y])));
        for (var x = 0; x < byDuration.Length; x++)
        {
            if (!IsTiny(x)) continue;
            for (var y = x + 1; y < byDuration.Length && y <= x + TinyNeighbours && Close(x, y); y++) Add(x, y);
            for (var y = x - 1; y >= 0 && y >= x - TinyNeighbours && Close(x, y); y--)
                if (!IsTiny(y)) Add(x, y);
        }
        return pairs;
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
