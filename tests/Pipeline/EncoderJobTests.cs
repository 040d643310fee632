using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

[Collection(SerialCollection.Name)]
public class EncoderJobTests
{
    private static string Config(string encoders, int contrastiveEpochs) => $"""
        catalog:
          folder: lib
        output: out
        state: state
        workers: 2
        embed:
          encoders: [{encoders}]
          contrastive:
            epochs: {contrastiveEpochs}
            hidden_units: 16
            dimension: 8
          onnx:
            - name: toy
              model: toy.onnx
              input: waveform
              sample_rate_hz: 16000
              window_s: 0.01
              hop_s: 0.5
              outputs: [embedding]
              pooling: mean+std
        """;

    [Fact]
    public async Task Encoders_added_to_a_run_compute_only_their_own_versions()
    {
        using var folder = new TempFolder();
        foreach (var (name, hz) in new[] { ("low", 220.0), ("mid", 440.0), ("high", 1760.0), ("top", 3520.0) })
            AudioFactory.Tone(folder.File($"lib/{name}.ogg"), "ogg", 5.0, hz);
        new OnnxModelWriter().Input("audio", null, 160).Initializer("W", [160, 3], Enumerable.Range(0, 480).Select(i => (float)Math.Sin(i)).ToArray())
            .Node("MatMul", ["audio", "W"], ["embedding"]).Output("embedding", null, 3).Save(folder.File("toy.onnx"));

        var progress = new RecordingProgress();
        async Task<RunSummary> Run(string encoders, int contrastiveEpochs = 3)
        {
            var path = folder.File($"job-{encoders.Replace(", ", "-")}-{contrastiveEpochs}.yaml");
            File.WriteAllText(path, Config(encoders, contrastiveEpochs));
            progress = new RecordingProgress();
            return await new JobRunner(JobConfig.Load(path), progress).RunAsync();
        }

        var first = await Run("dsp");
        Assert.Equal((4, 0), (first.Embeddings.Single().Computed, first.Embeddings.Single().FromStore));
        Assert.Contains("Only 0 rated tracks are usable", first.RatingSkipped);
        Assert.Null(first.Rating);

        // A dsp-only state keeps no log-mel frames: naming contrastive analyses each file once more to keep its excerpt.
        var second = await Run("dsp, contrastive, toy");
        Assert.Equal((4, 0), (second.Analysis!.Analysed, second.Analysis.FromCache));
        Assert.Contains("4 cached analyses kept no log-mel excerpt (a state made by a job without contrastive): those files are decoded and analysed again, once, to keep the excerpt the contrastive encoder reads", progress.Messages);
        var byName = second.Embeddings.ToDictionary(e => e.ModelVersion.Split('-')[0]);
        Assert.Equal((0, 4), (byName["dsp"].Computed, byName["dsp"].FromStore));
        Assert.Equal((4, 0, 8), (byName["contrastive"].Computed, byName["contrastive"].FromStore, byName["contrastive"].Dimension));
        Assert.Equal((3, 4), (byName["contrastive"].Training!.Epochs, byName["contrastive"].Training!.Tracks));
        Assert.Equal((4, 0, 6), (byName["onnx"].Computed, byName["onnx"].FromStore, byName["onnx"].Dimension));
        Assert.All(byName.Values.Where(e => e.Computed > 0), e => Assert.True(e.TracksPerSecond > 0));
        Assert.True(File.Exists(folder.File("state/encoders/contrastive.ckpt")));

        var third = await Run("dsp, contrastive, toy");
        Assert.DoesNotContain(progress.Messages, m => m.Contains("kept no log-mel excerpt"));
        Assert.All(third.Embeddings, e => Assert.Equal((0, 4, null), (e.Computed, e.FromStore, e.Training)));
        Assert.Equal(second.Embeddings.Select(e => e.ModelVersion), third.Embeddings.Select(e => e.ModelVersion));
        Assert.Equal(0, third.Counters.AudioFilesOpened);

        var table = ParquetCheck.Read(folder.File("out/" + EmbeddingsTable.FileName));
        Assert.Equal(12, table.Rows);
        Assert.Equal([6, 8, 192], table.Data.GroupBy(r => r.GetProperty("model_version").GetString()).Select(g => g.First().GetProperty("vector").GetArrayLength()).Order());

        // A retrained encoder (new settings, new version) trains and embeds from the stored excerpts: no file is opened.
        var retrained = await Run("dsp, contrastive", contrastiveEpochs: 4);
        var contrastive = retrained.Embeddings.Single(e => e.ModelVersion.StartsWith("contrastive-"));
        Assert.NotEqual(byName["contrastive"].ModelVersion, contrastive.ModelVersion);
        Assert.Equal((4, 4, 4), (contrastive.Computed, contrastive.Training!.Epochs, contrastive.Training.Tracks));
        Assert.Equal((0, 0), (retrained.Counters.AudioFilesOpened, retrained.Analysis!.Analysed));
    }
}
