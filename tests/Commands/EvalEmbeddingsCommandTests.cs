using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Commands;

/// <summary>`ssis eval embeddings` over a library without tags says why it has no scores, instead of an empty table.</summary>
public class EvalEmbeddingsCommandTests
{
    [Fact]
    public void An_untagged_library_gets_one_line_saying_the_scores_need_tags()
    {
        using var folder = new TempFolder();
        foreach (var i in Enumerable.Range(0, 3)) AudioFactory.Tone(folder.File($"lib/tone{i}.flac"), "flac", 6.0, 220 + 110 * i);
        File.WriteAllText(folder.File("job.yaml"), "catalog:\n  folder: lib\noutput: out\nembed:\n  encoders: [dsp]\nmodel:\n  enabled: false\n");
        var run = SsisProcess.Run(folder.Path, "run", folder.File("job.yaml"));
        Assert.True(run.Exit == 0, run.Errors);

        var (exit, output, errors) = SsisProcess.Run(folder.Path, "eval", "embeddings", folder.File("out"));

        Assert.Equal(0, exit);
        Assert.Empty(output);
        Assert.Equal("no scores: 0 of the 3 canonical tracks with embeddings carry an album, composer or artist tag, and retrieval is scored " +
                     "against those tags (two tracks at least). Tag the files (a folder catalog reads their tags) or use a Clementine catalog.", errors.Trim());
    }
}
