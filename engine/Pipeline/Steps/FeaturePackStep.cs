using SSIS.Batch.Engine.Errors;
using SSIS.Batch.Engine.FeaturePacks;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// A feature pack (<see cref="FeaturePackLayout"/>) for every file the segments step segmented whole: the segments step
/// writes it from its own decode (<see cref="SegmentedFile.Pack"/>); this step keeps it in the state, and decodes a file
/// again only when its segments came from the state and its pack did not. The state keeps each
/// pack's version and the file's stamp, so a rerun at the same version opens no audio file (a pack deleted by hand is
/// written again) and a new version rewrites every pack.
/// </summary>
public sealed class FeaturePackStep : IRunStep
{
    public string Name => FeaturePackStage.Name;
    public string Description => "optional (`feature_packs.enabled`): each file segmented whole, from the segments step's decode, as log-mel frames and 0.5 s frame embeddings, one Parquet file a track";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options.FeaturePackSettings.Enabled && options.SegmentSettings.Files != SegmentFiles.None;

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options.FeaturePackSettings;
        var stage = new FeaturePackStage(options, run.Options.OutputFolder, run.Options.FingerprintSettings.FfmpegPath);
        var stamps = run.Probed.Where(t => t.Stamp is not null).ToDictionary(t => t.Track.Path, t => t.Stamp!.Value);
        var inputs = Inputs(run);
        var stored = run.Store.LoadEmbeddings(options.Version);
        var shardFolders = ShardFolders(run.Options);
        var written = run.Segments.Where(s => s.Pack is not null).ToDictionary(s => s.Input.Path, s => s.Pack!);
        var decoded = 0;
        var packs = await run.ForEachFileAsync(Name, inputs, input =>
        {
            if (written.TryGetValue(input.Path, out var pack)) return pack;
            if (stored.TryGetValue(input.Path, out var kept) && kept.Stamp == stamps[input.Path] && (kept.Vector[0] == 0 || InPlace(stage.PathOf(input), shardFolders)))
                return FeaturePackOutcome.FromStored(input, kept.Vector);
            Interlocked.Increment(ref decoded);
            return stage.Write(input, cancellationToken);
        },
            batch => run.Store.SaveEmbeddings(options.Version, batch.Where(p => !p.FromCache && IsSettled(p))
                .Select(p => (p.Input.Path, stamps[p.Input.Path], p.ToStored()))), cancellationToken);
        run.OtherFilesOpened += decoded;
        foreach (var failed in packs.Where(p => p is { Error: not null, FromCache: false }))
            run.Progress.Message($"{Name}: {failed.Input.Path}: {failed.Error!.Code.Name()} {failed.Error.Message}");
        run.Progress.Message($"{Name}: {packs.Count(p => p.Rows > 0)} pack(s) in {Path.Combine(run.Options.OutputFolder, FeaturePackLayout.FolderName)} " +
                             $"({packs.Count(p => p is { FromCache: false, Rows: > 0 })} written, version {options.Version})");
    }

    /// <summary>The files this run packs: those the segments step segmented whole (with segments).</summary>
    public static IReadOnlyList<FeaturePackInput> Inputs(RunContext run)
    {
        var stamped = run.Probed.Where(t => t.Stamp is not null).Select(t => t.Track.Path).ToHashSet();
        return run.Segments.Where(s => s.Result.Segments.Count > 0 && stamped.Contains(s.Input.Path))
            .Select(s => new FeaturePackInput(s.Input.TrackId, s.Input.Path)).ToList();
    }

    /// <summary>The shard folders a merge imported its state from (none in a shard run or a single-machine one).</summary>
    private static IReadOnlyList<string> ShardFolders(JobOptions options)
    {
        var folder = Shards.ShardSpec.ShardsFolder(options.StateFolder);
        return options.Shard is null && Directory.Exists(folder) ? Directory.GetDirectories(folder) : [];
    }

    /// <summary>
    /// Whether the pack the state lists is at <paramref name="packPath"/>, copying it there first when a shard wrote it:
    /// the merge of a sharded run imports the shards' state, and their packs are in their own folders.
    /// </summary>
    private static bool InPlace(string packPath, IReadOnlyList<string> shardFolders)
    {
        if (File.Exists(packPath)) return true;
        var written = shardFolders.Select(f => Path.Combine(f, FeaturePackLayout.FolderName, Path.GetFileName(packPath))).FirstOrDefault(File.Exists);
        if (written is null) return false;
        Output.AtomicFile.Write(packPath, temp => File.Copy(written, temp));
        return true;
    }

    /// <summary>
    /// Whether a fresh outcome is kept in the state: a whole pack, or a fault of the audio itself (with the pack of what
    /// decoded before it, if any). A transient error or a failure to write (INTERNAL_ERROR: a full disk, say) is tried
    /// again by the next run.
    /// </summary>
    private static bool IsSettled(FeaturePackOutcome outcome) =>
        outcome.Error is not { } e || e.Code != ErrorCode.InternalError && !RetryPolicy.IsTransient(e.Code);
}
