using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>Files moved or renamed since the last run keep their cached results under their new paths (see <see cref="Relocations"/>).</summary>
public sealed class RelocateStep : IRunStep
{
    public string Name => "relocate";
    public string Description => "files moved or renamed since the last run (old path gone, same size and modification time) keep their results, without being opened";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => true;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var moves = Relocations.Find(run.Tracks.Select(t => t.Path).ToList(), run.Store.LoadProbeStamps(), FileStamp.Of);
        if (moves.Count == 0) return Task.CompletedTask;
        run.Store.Relocate(moves);
        ContentKeys.Relocate(run.Options.StateFolder, moves);
        run.Relocated = moves.Count;
        run.Progress.Message($"{moves.Count} file(s) moved or renamed since the last run keep their results");
        return Task.CompletedTask;
    }
}
