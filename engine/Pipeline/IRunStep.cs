namespace SSIS.Batch.Engine.Pipeline;

/// <summary>Whether a step works file by file (and could run on a slice of the library) or needs the whole library.</summary>
public enum StepScope
{
    /// <summary>Each file's result depends on that file alone: probe, analysis, fingerprints.</summary>
    PerFile,
    /// <summary>A barrier: grouping, duplicate resolution, encoder and rating-model training, the outputs.</summary>
    Library,
}

/// <summary>
/// One node of a run, named in <see cref="RunSteps.InOrder"/>. It reads what earlier steps left in the
/// <see cref="RunContext"/> and leaves its own results there; the per-file work itself lives in a stage class that
/// knows nothing of the run (<see cref="Probe.ProbeStage"/>, <see cref="Analysis.AnalysisStage"/>, ...).
/// </summary>
public interface IRunStep
{
    /// <summary>The step's name in progress lines and run.json's stage_seconds.</summary>
    string Name { get; }

    /// <summary>What the step does, in one line (README "How a run flows" shows it).</summary>
    string Description { get; }

    StepScope Scope { get; }

    /// <summary>Whether the job asks for this step at all.</summary>
    bool IsEnabled(JobOptions options);

    Task RunAsync(RunContext run, CancellationToken cancellationToken);
}
