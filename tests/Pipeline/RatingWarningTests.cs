using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Jobs;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

/// <summary>A model that has not learnt the ratings says so: in the run's output, in run.json and in <c>ssis status</c>.</summary>
public class RatingWarningTests
{
    [Fact]
    public async Task Ratings_the_audio_cannot_show_give_an_auc_below_0_6_and_a_warning_in_the_run_run_json_and_status()
    {
        using var folder = new TempFolder();
        // Each tone twice (WAV and FLAC decode to the same samples, so the same features), once liked and once disliked.
        var songs = new List<ClementineSong>();
        for (var i = 0; i < 12; i++)
        foreach (var (format, extension, liked) in new[] { ("s16.wav", "wav", i % 2 == 0), ("flac", "flac", i % 2 == 1) })
        {
            var path = AudioFactory.Tone(folder.File($"library/tone {i:D2}.{extension}"), format, 4.0, 220 + 55 * i);
            songs.Add(new ClementineSong(path, Title: $"tone {i}", Artist: "Tones", Rating: liked ? 0.9 : 0.1, FileSizeBytes: new FileInfo(path).Length));
        }
        ClementineDatabaseWriter.Create(folder.File("clementine.db"), songs);
        File.WriteAllText(folder.File("job.yaml"), """
            catalog:
              clementine: clementine.db
            output: out
            fingerprint:
              enabled: false
            model:
              min_rated: 10

            """);

        var output = new StringWriter();
        Assert.Equal((int)ExitCode.Ok, await RunCommand.RunAsync(folder.File("job.yaml"), 2, output, TextWriter.Null, CancellationToken.None));

        var run = RunSummary.Read(folder.File("out"));
        Assert.True(run.Rating!.CrossValidated.Auc < RatingStep.TrustedAuc, $"{run.Rating.CrossValidated}");
        var warning = Assert.Single(run.Warnings, w => w.Contains("has not learnt the taste"));
        Assert.Contains($"WARNING: {warning}", output.ToString());
        var status = new StringWriter();
        Assert.Equal(0, StatusCommand.Run(folder.File("out"), false, status, TextWriter.Null));
        Assert.Contains($"WARNING: {warning}", status.ToString());
    }

    [Fact]
    public async Task Clips_too_short_for_the_contrastive_network_say_so_and_train_on_the_parts_the_run_embedded_and_joint_mode_says_why_it_cannot()
    {
        using var folder = new TempFolder();
        var songs = Enumerable.Range(0, 12).Select(i =>
        {
            var path = AudioFactory.Tone(folder.File($"library/clip {i:D2}.flac"), "flac", 2.0, 220 + 55 * i);
            return new ClementineSong(path, Title: $"clip {i}", Artist: "Clips", Rating: i % 2 == 0 ? 0.9 : 0.1, FileSizeBytes: new FileInfo(path).Length);
        }).ToList();
        ClementineDatabaseWriter.Create(folder.File("clementine.db"), songs);
        const string job = "catalog:\n  clementine: clementine.db\noutput: out\nfingerprint:\n  enabled: false\nmodel:\n  min_rated: 10\n";
        File.WriteAllText(folder.File("job.yaml"), job);

        var output = new StringWriter();
        Assert.Equal((int)ExitCode.Ok, await RunCommand.RunAsync(folder.File("job.yaml"), 2, output, TextWriter.Null, CancellationToken.None));

        Assert.Contains("No contrastive vectors this run. Training the contrastive encoder needs at least 2 analysed tracks with 128 frames (2.56 s) of audio; there are 0.", output.ToString());
        Assert.Contains("No track of this run has a 'dsp+spectral+contrastive' embedding, so there is nothing to train on (set model.encoder to the parts this run embedded).", output.ToString());
        Assert.Null(RunSummary.Read(folder.File("out")).Rating);

        File.WriteAllText(folder.File("job.yaml"), job + "  encoder: dsp+spectral\n");
        Assert.Equal((int)ExitCode.Ok, await RunCommand.RunAsync(folder.File("job.yaml"), 2, TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.Equal(("dsp-v1+spectral-v2", 12), (RunSummary.Read(folder.File("out")).Rating!.EmbeddingVersion, RunSummary.Read(folder.File("out")).Rating!.Rated));

        File.WriteAllText(folder.File("job.yaml"), job + "  encoder: contrastive\n  regressor: joint\n");
        var joint = new StringWriter();
        Assert.Equal((int)ExitCode.Ok, await RunCommand.RunAsync(folder.File("job.yaml"), 2, joint, TextWriter.Null, CancellationToken.None));
        Assert.Contains("No rating model: joint mode fine-tunes the contrastive encoder, which this run could not train. Training the contrastive encoder needs", joint.ToString());
    }
}
