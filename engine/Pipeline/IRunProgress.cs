namespace SSIS.Batch.Engine.Pipeline;

/// <summary>Where the graph reports progress (a live display on a terminal, plain lines otherwise). Must be thread-safe.</summary>
public interface IRunProgress
{
    void StageStarted(string stage, int totalItems);
    void Advanced(string stage, int items = 1);
    void StageFinished(string stage);
    void Message(string text);
}
