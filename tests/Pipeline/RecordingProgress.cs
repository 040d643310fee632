using System.Collections.Concurrent;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>Progress that remembers what the graph reported.</summary>
public sealed class RecordingProgress : IRunProgress
{
    public ConcurrentDictionary<string, int> Totals { get; } = new();
    public ConcurrentDictionary<string, int> Items { get; } = new();

    public void StageStarted(string stage, int totalItems) => Totals[stage] = totalItems;
    public void Advanced(string stage, int items = 1) => Items.AddOrUpdate(stage, items, (_, n) => n + items);
    public void StageFinished(string stage) { }
    public ConcurrentQueue<string> Messages { get; } = new();
    public void Message(string text) => Messages.Enqueue(text);
}
