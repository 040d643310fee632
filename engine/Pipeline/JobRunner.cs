using System.Diagnostics;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// Runs one job: the steps of <see cref="RunSteps.InOrder"/> the job enables, each timed, over one state folder held
/// for the run, then run.json and the HTML report.
/// </summary>
public sealed class JobRunner(JobOptions options, IRunProgress progress)
{
    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var runId = $"{started:yyyyMMddTHHmmssfffZ}-{Environment.ProcessId}";

        WritableFolder.Ensure(options.OutputFolder, "output");
        WritableFolder.Ensure(options.StateFolder, "state");
        // A playlist outside the output folder is the run's last write: its folder is proved before the work, not after it.
        if (options.Shard is null && options.RatingSettings.Enabled && options.RecommendSettings.XspfPath is { } xspf)
            WritableFolder.Ensure(Path.GetDirectoryName(Path.GetFullPath(xspf))!, "recommend.xspf");
        // Held to the end of the run; only its holder may clear temp files, so a second run never deletes a live run's.
        using var runLock = RunLock.Acquire(options.StateFolder, string.Join(' ', Environment.GetCommandLineArgs()));
        if (runLock.TakenOverFrom is { } dead)
            progress.Message($"Took over the state folder from a run that ended without releasing it ({dead})");
        if (AtomicFile.RemoveStale(options.OutputFolder) is > 0 and var stale)
            progress.Message($"Removed {stale} half-written file(s) an interrupted run left in {options.OutputFolder}");

        var earlierOutputs = StaleOutputs.Earlier(options.OutputFolder);
        var summary = await RunStepsAsync(runId, started, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        FreedMemory.GiveBack();
        if (options.Shard is null && StaleOutputs.Remove(options.OutputFolder, earlierOutputs, summary.Outputs, started) is { Count: > 0 } removed)
            progress.Message($"Removed {removed.Count} output(s) of an earlier run that this run did not write: {string.Join(", ", removed)}");
        summary.Write(options.OutputFolder);
        if (options.Shard is null) Report.HtmlReport.WriteOrWarn(options.OutputFolder, progress.Message); // [shard] no library outputs
        // The report reads the run's outputs after run.json is written: the peak is read again so that it covers the report too.
        summary = summary with { Counters = summary.Counters with { PeakWorkingSetMb = PeakWorkingSetMb() } };
        summary.Write(options.OutputFolder);
        if (TraceMemory) progress.Message($"memory after the report: {MemoryNow()}");
        return summary;
    }

    /// <summary>SSIS_TRACE_MEMORY=1: the memory after each step, to find the step that sets a run's peak (README, "The state folder and scale").</summary>
    private static bool TraceMemory => Environment.GetEnvironmentVariable("SSIS_TRACE_MEMORY") == "1";

    private static string MemoryNow()
    {
        var gc = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return $"heap {GC.GetTotalMemory(false) / 1e6:0} MB, GC committed {gc.TotalCommittedBytes / 1e6:0} MB, " +
               $"working set {process.WorkingSet64 / 1e6:0} MB, peak {process.PeakWorkingSet64 / 1e6:0} MB, allocated so far {GC.GetTotalAllocatedBytes() / 1e9:0.0} GB, " +
               $"GC pauses so far {GC.GetTotalPauseDuration().TotalSeconds:0.00} s";
    }

    /// <summary>
    /// The enabled steps over one state store, and the run's summary. Its own method so that the run's records (rows,
    /// probes, analyses, groups: about 40 MB at 20,000 files) are unreachable once it returns, and the report's reading reuses their
    /// memory instead of adding to it.
    /// </summary>
    private async Task<RunSummary> RunStepsAsync(string runId, DateTime started, CancellationToken cancellationToken)
    {
        using var store = new StateStore(options.StateFolder);
        var run = new RunContext(options, progress, store, runId);
        var stageSeconds = new Dictionary<string, double>();
        // [shard] a shard runs the per-file steps only (engine/Shards); `ssis merge` runs the rest
        var steps = RunSteps.InOrder.Where(s => s.IsEnabled(options) && (options.Shard is null || s.Scope == StepScope.PerFile)).ToList();
        foreach (var step in steps)
        {
            // A library-wide step may not look at the token (its results come from the store): a signal during it ends the
            // run before the next step, so no output is written after it.
            cancellationToken.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            // Forced to yield: a step whose last await completes on a worker thread would otherwise run every later step
            // on top of its own frames, which keep its locals (all its per-file results) alive to the end of the run.
            await step.RunAsync(run, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            stageSeconds[step.Name] = clock.Elapsed.TotalSeconds;
            // After the last step the caller gives back once the run's records are unreachable too.
            if (step != steps[^1]) FreedMemory.GiveBack();
            if (TraceMemory) progress.Message($"memory after {step.Name}: {MemoryNow()}");
        }
        return Summarize(run, started, stageSeconds);
    }

    private RunSummary Summarize(RunContext run, DateTime started, IReadOnlyDictionary<string, double> stageSeconds)
    {
        var rows = run.Rows;
        var probed = run.Probed;
        var fingerprintOptions = options.FingerprintSettings;
        var ended = DateTime.UtcNow;
        var errors = rows.Where(r => r is { Error: not null, IsSkipped: false }).Select(r => r.Error).ToList();
        var skips = rows.Where(r => r.IsSkipped).Select(r => r.Error!).ToList();
        if (skips.Count > 0)
            progress.Message($"{skips.Count} file(s) skipped, not failed ({string.Join(", ", skips.GroupBy(e => e.Code.Name()).Select(g => $"{g.Count()} {g.Key}"))}): " +
                             "they are not analysed; byte-identical copies of them are still grouped");
        return new RunSummary(
            run.RunId, started, ended, (ended - started).TotalSeconds, options.Catalog.Description, Path.GetFullPath(options.StateFolder), options.Workers,
            new RunCounts(
                rows.Count,
                rows.Count(r => r.Probe.Status == TrackStatus.Ok && r.LaterError is null),
                errors.Count,
                rows.Count(r => r.Probe.Status == TrackStatus.Unavailable),
                probed.Count(t => t is { FromCache: false, Outcome: not null }),
                run.ProbeCacheHits,
                skips.Count,
                run.Relocated),
            new RunCounters(
                run.Prober.FilesOpened + run.OtherFilesOpened,
                run.Prober.FfprobeProcesses,
                run.FingerprintsComputed,
                run.Decoder.FfmpegProcesses,
                PeakWorkingSetMb()),
            errors.GroupBy(e => e!.Code.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            new GroupSummary(options.GroupingMode.ToString().ToLowerInvariant(), run.Candidates.Count, run.Candidates.Sum(g => g.Members.Count)),
            run.DedupeSummary,
            run.AnalysisSummary,
            run.EncoderRuns.Select(r => new EmbeddingSummary(r.Run.ModelVersion, r.Run.Dimension, r.Run.Computed, r.Run.FromStore,
                r.Run.TracksPerSecond is { } rate ? Math.Round(rate, 2) : null, r.Training)).ToList(),
            run.Rating,
            run.RatingSkipped,
            StateStore.ReadDeadLetters(options.StateFolder).Count,
            stageSeconds,
            new Dictionary<string, string>
            {
                ["ssis"] = typeof(JobRunner).Assembly.GetName().Version?.ToString() ?? "0",
                ["dotnet"] = Environment.Version.ToString(),
                ["onnxruntime"] = Inference.OnnxModels.RuntimeVersion,
                ["parquet.net"] = PackageVersion(typeof(Parquet.ParquetWriter)),
                ["apache.arrow"] = PackageVersion(typeof(Apache.Arrow.RecordBatch)),
                ["chromaprint"] = fingerprintOptions.Enabled ? ChromaprintFingerprinter.LibraryVersion : "not used",
                ["libsndfile"] = SndfileSource.Version,
                ["prober"] = AudioProber.Version.ToString(),
                ["fingerprint_stage"] = FingerprintStage.Version.ToString(),
                ["analysis_stage"] = AnalysisStage.Version.ToString(),
            },
            run.Outputs,
            run.Warnings,
            skips.GroupBy(e => e.Code.Name()).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static double PeakWorkingSetMb() => Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1e6, 1);

    /// <summary>The NuGet version of the package holding <paramref name="type"/> (its assembly version may differ: Parquet.Net 6.1.0 is 6.0.0.0).</summary>
    private static string PackageVersion(Type type) =>
        System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(type.Assembly)!.InformationalVersion.Split('+')[0];
}
