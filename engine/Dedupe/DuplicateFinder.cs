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
    /// Fingerprints with fewer items than this (about 12 s of audio) hold too few sampled items for the index to pair
    /// their copies (a 3 s clip has a handful): in a large group they are compared with every member whose duration is
    /// within <see cref="ShortCopyDurationDifferenceSeconds"/>.
    /// </summary>
    public const int MinIndexedItems = 96;

    /// <summary>How far apart the durations of a short file and its copy may be: codecs' padding, a little silence added.</summary>
    public const double ShortCopyDurationDifferenceSeconds = 2.0;

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
                    : FingerprintBlocking.CandidatePairs(printed.Select(i => members[i].Fingerprint!.Raw).ToList())
                        .Union(ShortFilePairs(printed.Select(i => (members[i].Fingerprint!.Raw.Length, members[i].Track.Properties!.DurationSeconds)).ToList())))
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
    /// Pairs (a &lt; b) of which one has a short fingerprint and whose durations are close: from each short one, a sweep
    /// forwards over the files sorted by duration, and backwards over the long ones (a short one behind it paired already).
    /// </summary>
    public static List<(int A, int B)> ShortFilePairs(IReadOnlyList<(int Items, double DurationSeconds)> prints)
    {
        var byDuration = Enumerable.Range(0, prints.Count).OrderBy(i => prints[i].DurationSeconds).ToArray();
        bool IsShort(int i) => prints[i].Items < MinIndexedItems;
        bool Close(int x, int y) => Math.Abs(prints[byDuration[x]].DurationSeconds - prints[byDuration[y]].DurationSeconds) <= ShortCopyDurationDifferenceSeconds;
        var pairs = new List<(int A, int B)>();
        void Add(int x, int y) => pairs.Add((Math.Min(byDuration[x], byDuration[y]), Math.Max(byDuration[x], byDuration[y])));
        for (var x = 0; x < byDuration.Length; x++)
        {
            if (!IsShort(byDuration[x])) continue;
            for (var y = x + 1; y < byDuration.Length && Close(x, y); y++) Add(x, y);
            for (var y = x - 1; y >= 0 && Close(x, y); y--)
                if (!IsShort(byDuration[y])) Add(x, y);
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
