namespace SSIS.Batch.Engine.State;

/// <summary>A file the state knows by <paramref name="OldPath"/> that is now at <paramref name="NewPath"/>.</summary>
public sealed record Relocation(string OldPath, string NewPath);

/// <summary>
/// Finds files that moved or were renamed since the state last saw them, without opening any: a path the state knows
/// that is gone, and a path it does not know with the same size and modification time (to the 100 ns tick), is the same
/// file. When several gone and new files share a version, the ones whose file names also match are paired; the rest
/// are treated as new files.
/// </summary>
public static class Relocations
{
    /// <param name="catalogPaths">the paths of this run's catalog</param>
    /// <param name="known">the file version the state holds for each path it knows</param>
    /// <param name="stat">a path's current version, or null when it does not exist</param>
    public static IReadOnlyList<Relocation> Find(IReadOnlyCollection<string> catalogPaths, IReadOnlyDictionary<string, FileStamp> known,
        Func<string, FileStamp?> stat)
    {
        var inCatalog = catalogPaths.ToHashSet(StringComparer.Ordinal);
        var gone = known.Where(k => !inCatalog.Contains(k.Key) && stat(k.Key) is null).ToLookup(k => k.Value, k => k.Key);
        if (gone.Count == 0) return [];
        var arrived = catalogPaths.Where(p => !known.ContainsKey(p))
            .Select(p => (Path: p, Stamp: stat(p)))
            .Where(a => a.Stamp is { } s && gone.Contains(s))
            .ToLookup(a => a.Stamp!.Value, a => a.Path);
        var moves = new List<Relocation>();
        foreach (var version in arrived)
        {
            var from = gone[version.Key].ToList();
            var to = version.ToList();
            if (from.Count == 1 && to.Count == 1)
            {
                moves.Add(new Relocation(from[0], to[0]));
                continue;
            }
            foreach (var path in to)
            {
                var sameName = from.Where(f => Path.GetFileName(f) == Path.GetFileName(path)).ToList();
                if (sameName.Count == 1 && to.Count(t => Path.GetFileName(t) == Path.GetFileName(path)) == 1)
                    moves.Add(new Relocation(sameName[0], path));
            }
        }
        return moves;
    }
}
