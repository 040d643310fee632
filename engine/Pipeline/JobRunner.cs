using System.Diagnostics;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>Runs one job: catalog → probe graph → grouping barrier → Parquet outputs and run.json.</summary>
public sealed class JobRunner(JobOptions options, IRunProgress progress)
{
    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var runId = $"{started:yyyyMMddTHHmmssfffZ}-{Environment.ProcessId}";
        var stageSeconds = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();

        progress.Message($"Reading catalog {options.Catalog.Description}");
        var tracks = options.Catalog.ReadTracks(cancellationToken).ToList();
        stageSeconds["catalog"] = clock.Elapsed.TotalSeconds;

        using var store = new StateStore(options.StateFolder);
        var prober = new AudioProber(new FfprobeReader(options.FfprobePath));
        var stage = new ProbeStage(prober, store.LoadProbeCache());
        clock.Restart();
        var probed = await new ProbeGraph(stage, store, runId, options.Workers, progress).RunAsync(tracks, cancellationToken);
        stageSeconds[ProbeGraph.StageName] = clock.Elapsed.TotalSeconds;

        clock.Restart();
        var groups = CandidateGrouper.Group(probed, options.GroupingMode, options.DurationToleranceSeconds);
        stageSeconds["group"] = clock.Elapsed.TotalSeconds;

        clock.Restart();
        progress.Message($"Writing outputs to {options.OutputFolder}");
        Directory.CreateDirectory(options.OutputFolder);
        TracksTable.Write(options.OutputFolder, probed);
        GroupsTable.Write(options.OutputFolder, groups);
        stageSeconds["sink"] = clock.Elapsed.TotalSeconds;

        var ended = DateTime.UtcNow;
        var summary = new RunSummary(
            runId, started, ended, (ended - started).TotalSeconds, options.Catalog.Description, options.Workers,
            new RunCounts(
                probed.Count,
                probed.Count(t => t.Status == TrackStatus.Ok),
                probed.Count(t => t.Status == TrackStatus.Error),
                probed.Count(t => t.Status == TrackStatus.Unavailable),
                probed.Count(t => t is { FromCache: false, Outcome: not null }),
                (int)stage.CacheHits),
            new RunCounters(prober.FilesOpened, prober.FfprobeProcesses),
            probed.Where(t => t.Error is not null).GroupBy(t => Errors.ErrorCodes.Name(t.Error!.Code))
                .OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            new GroupSummary(options.GroupingMode.ToString().ToLowerInvariant(), groups.Count, groups.Sum(g => g.Members.Count)),
            stageSeconds,
            new Dictionary<string, string>
            {
                ["ssis"] = typeof(JobRunner).Assembly.GetName().Version?.ToString() ?? "0",
                ["dotnet"] = Environment.Version.ToString(),
                ["duckdb"] = DuckDbConnection.LibraryVersion,
                ["prober"] = AudioProber.Version.ToString(),
            },
            [TracksTable.FileName, GroupsTable.FileName, RunSummary.FileName]);
        summary.Write(options.OutputFolder);
        return summary;
    }
}
