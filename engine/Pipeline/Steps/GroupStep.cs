using SSIS.Batch.Engine.Grouping;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>Barrier: duplicate candidates, grouped by metadata and duration.</summary>
public sealed class GroupStep : IRunStep
{
    public string Name => "group";
    public string Description => "duplicate candidates, grouped by metadata and duration";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => true;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        run.Candidates = CandidateGrouper.Group(run.Probed, run.Options.GroupingMode, run.Options.DurationToleranceSeconds);
        return Task.CompletedTask;
    }
}
