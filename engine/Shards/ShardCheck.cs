using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Engine.Shards;

/// <summary>Why one shard cannot be merged yet.</summary>
public sealed record ShardProblem(ShardSpec Shard, string Reason);

/// <summary>The shards a merge found: all finished and current (<see cref="Problems"/> empty), or what is wrong with which.</summary>
public sealed record ShardCheckResult(int Count, IReadOnlyList<string> Folders, IReadOnlyList<ShardProblem> Problems);

/// <summary>The merge's precondition: every shard of the job finished, under the job's settings, over the catalog as it is now.</summary>
public static class ShardCheck
{
    /// <summary>The shard counts found under the job's state folder (from the <c>I-of-N</c> folder names).</summary>
    public static IReadOnlyList<int> CountsFound(string jobStateFolder)
    {
        var folder = ShardSpec.ShardsFolder(jobStateFolder);
        if (!Directory.Exists(folder)) return [];
        return Directory.GetDirectories(folder).Select(Path.GetFileName)
            .Select(name => name!.Split("-of-") is [var i, var n] && int.TryParse(i, out _) && int.TryParse(n, out var count) ? count : 0)
            .Where(n => n > 0).Distinct().Order().ToList();
    }

    /// <summary>
    /// Checks shards 0..count−1: each must have a manifest (missing folder: never run; folder without one: running or
    /// killed), made under the job's current settings, covering every catalog entry of its shard with the file's current
    /// size and mtime.
    /// </summary>
    public static ShardCheckResult Verify(JobOptions options, IReadOnlyList<TrackRecord> catalog, int count)
    {
        var stamps = ShardPlan.Stamps(catalog, options.Workers);
        var expected = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < catalog.Count; i++) expected[ShardKey.ShardOf(catalog[i], stamps[i], count)].Add(i);
        var settings = ShardSettings.Of(options);
        var problems = new List<ShardProblem>();
        var folders = new List<string>();
        for (var index = 0; index < count; index++)
        {
            var spec = new ShardSpec(index, count);
            var folder = spec.StateFolder(options.StateFolder);
            folders.Add(folder);
            if (!Directory.Exists(folder))
            {
                problems.Add(new ShardProblem(spec, $"missing: {folder} does not exist (the shard never ran)"));
                continue;
            }
            if (ShardManifest.Read(folder) is not { } manifest)
            {
                problems.Add(new ShardProblem(spec, $"unfinished: no {ShardManifest.FileName} in {folder} (it is still running, failed, or was killed)"));
                continue;
            }
            var changed = settings.Where(s => manifest.Settings.GetValueOrDefault(s.Key) != s.Value).Select(s => s.Key).ToList();
            if (changed.Count > 0)
            {
                problems.Add(new ShardProblem(spec, $"stale: made with other settings or stage versions ({string.Join(", ", changed)})"));
                continue;
            }
            var covered = manifest.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            var uncovered = expected[index].Where(i => !covered.TryGetValue(catalog[i].Path, out var file)
                    || file.SizeBytes != stamps[i]?.SizeBytes || file.MtimeTicks != stamps[i]?.MtimeTicks)
                .Select(i => catalog[i].Path).ToList();
            if (uncovered.Count > 0)
                problems.Add(new ShardProblem(spec, $"stale: {uncovered.Count} catalog file(s) new or changed since it finished at " +
                                                    $"{manifest.FinishedUtc:yyyy-MM-dd HH:mm:ss} UTC (e.g. {uncovered[0]})"));
        }
        return new ShardCheckResult(count, folders, problems);
    }
}
