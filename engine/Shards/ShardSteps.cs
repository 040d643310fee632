using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline.Steps;

namespace SSIS.Batch.Engine.Shards;

/// <summary>
/// A shard's own steps. A shard run (<see cref="JobOptions.Shard"/>) runs the per-file steps of <see cref="RunSteps.InOrder"/>
/// and these; a whole run skips them.
/// </summary>
public abstract class ShardStep : IRunStep
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => options.Shard is not null;
    public abstract Task RunAsync(RunContext run, CancellationToken cancellationToken);

    protected static ShardPlan PlanOf(RunContext run) =>
        run.ShardPlan ?? throw new InvalidOperationException($"the shard step runs before {nameof(ShardSelectStep)} chose the shard's files");
}

/// <summary>Keeps the shard's own catalog entries (by <see cref="ShardKey"/>), and removes a manifest an earlier run of the shard left.</summary>
public sealed class ShardSelectStep : ShardStep
{
    public override string Name => "shard";
    public override string Description => "shard runs only: keeps the shard's catalog entries, a hash of each file's size and name modulo the shard count (a stat, no file opened)";

    public override Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ShardManifest.Remove(run.Options.StateFolder);
        var plan = ShardPlan.Of(run.Tracks, run.Options.Shard!, run.Options.Workers);
        run.Progress.Message($"Shard {plan.Spec}: {plan.Tracks.Count} of {run.Tracks.Count} catalog entries");
        run.ShardPlan = plan;
        run.Tracks = plan.Tracks;
        return Task.CompletedTask;
    }
}

/// <summary>Duplicate candidates are known library-wide only: in a shard every probed file is one, so each gets its fingerprint.</summary>
public sealed class ShardCandidatesStep : ShardStep
{
    public override string Name => "shard candidates";
    public override string Description => "shard runs only: every probed file is a duplicate candidate (which files are is known at the merge), so each gets its fingerprint";

    public override Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        run.Candidates = ShardPlan.EveryFileACandidate(run.Probed, run.Options.GroupingMode);
        return Task.CompletedTask;
    }
}

/// <summary>The encoders that need no training over the library (<c>dsp</c>, ONNX models); the merge trains and runs the rest.</summary>
public sealed class ShardEmbedStep : ShardStep
{
    public override string Name => "shard embed";
    public override string Description => "shard runs only: the vectors of the encoders that need no training (dsp, ONNX models)";

    public override Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        if (!options.AnalysisSettings.Enabled) return Task.CompletedTask;
        var cropDecoder = new CropDecoder(run.Decoder, options.AnalysisSettings.CropSettings);
        var embed = new EmbedStage(run.Store, run.StoredAnalyses, options.Workers, run.Progress, (track, rateHz) => EmbedStep.MonoCrop(cropDecoder, track, rateHz));
        foreach (var name in ShardSettings.PerFileEncoders(options.EmbedSettings))
        {
            var encoder = Encoders.Create(name, options.EmbedSettings, () => throw new InvalidOperationException($"{name} is trained at the merge, not in a shard"));
            try
            {
                run.EncoderRuns.Add((embed.Encode(encoder, run.Analyzed, cancellationToken), null));
            }
            finally
            {
                (encoder as IDisposable)?.Dispose();
            }
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// The shard's last step: hashes its files of a size another catalog file shares (for the merge's byte-identical copies),
/// then writes the manifest that marks it finished.
/// </summary>
public sealed class ShardManifestStep : ShardStep
{
    public override string Name => "shard manifest";
    public override string Description => "shard runs only: hashes the files whose size another file shares, then writes manifest.json (files covered with size and mtime, settings)";

    public override Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var plan = PlanOf(run);
        run.OtherFilesOpened += plan.HashFilesOfSharedSize(run.Probed, run.Options.StateFolder);
        cancellationToken.ThrowIfCancellationRequested();
        ShardManifest.Of(plan.Spec, run.RunId, ShardSettings.Of(run.Options), run.Probed).Write(run.Options.StateFolder);
        run.Outputs.AddRange([ShardManifest.FileName, RunSummary.FileName]);
        return Task.CompletedTask;
    }
}
