using System.Text.Json;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Jobs.Commands;

/// <summary><c>ssis eval embeddings OUT</c>: retrieval quality of each encoder version against the catalog's tags.</summary>
public static class EvalCommand
{
    public static int Embeddings(string outputFolder, bool json, TextWriter output, TextWriter errors)
    {
        var scores = EmbeddingEvaluation.PrecisionAt5(outputFolder);
        if (scores.Count == 0) errors.WriteLine(EmbeddingEvaluation.WhyNoScores(outputFolder));
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(scores, RunSummary.Json));
            return 0;
        }
        if (scores.Count == 0) return 0;
        // The encoder column as wide as its longest version (contrastive-7cb0d7e67c24), so the columns after it line up.
        var width = scores.Select(s => s.ModelVersion.Length).Append("encoder".Length).Max();
        output.WriteLine($"{"encoder".PadRight(width)} {"label",-16} {"P@5",6} {"chance",7} {"queries",8}");
        foreach (var s in scores)
            output.WriteLine($"{s.ModelVersion.PadRight(width)} {s.Label,-16} {s.PrecisionAt5,6:0.000} {s.ChanceLevel,7:0.000} {s.Queries,8}");
        return 0;
    }
}
