using SSIS.Batch.Engine.Native;
using SSIS.Batch.Engine.Speech;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Shards;

/// <summary>A shard whose machine could not run the job's speech gate is stale at the merge, which would redo its analyses.</summary>
public class ShardSpeechGateTests
{
    [Fact]
    public void A_shard_that_fell_back_to_the_heuristic_gate_is_stale_and_named()
    {
        using var folder = new TempFolder();
        foreach (var i in Enumerable.Range(0, 4)) AudioFactory.Tone(folder.File($"lib/tone{i}.flac"), "flac", 4.0, 220 + 110 * i);
        var model = folder.File("silero.onnx");
        File.Copy(Path.Combine(NativeLibraries.FindDirectory()!, SpeechDetectors.SileroModelFile), model);
        var config = folder.File("job.yaml");
        File.WriteAllText(config, "catalog:\n  folder: lib\noutput: out\nspeech:\n  detector: silero\n  model: silero.onnx\nembed:\n  encoders: [dsp]\nmodel:\n  enabled: false\n");

        // Shard 0 runs where the model is missing (a node image without it), shard 1 where it is.
        File.Move(model, model + ".away");
        var fellBack = SsisProcess.Run(folder.Path, "run", config, "--shard", "0/2");
        Assert.True(fellBack.Exit == 0, fellBack.Errors);
        Assert.Contains("using the heuristic speech detector", fellBack.Output);
        File.Move(model + ".away", model);
        var whole = SsisProcess.Run(folder.Path, "run", config, "--shard", "1/2");
        Assert.True(whole.Exit == 0, whole.Errors);

        var (exit, _, errors) = SsisProcess.Run(folder.Path, "merge", config, "--shards", "2");

        Assert.Equal((int)Jobs.ExitCode.ShardsIncomplete, exit);
        Assert.Contains("shard 0/2: stale: made with other settings or stage versions (speech_gate)", errors);
        Assert.DoesNotContain("shard 1/2", errors.Split('\n')[0]);
    }
}
