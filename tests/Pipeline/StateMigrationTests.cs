using Microsoft.Data.Sqlite;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Embedding.Contrastive;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Pipeline;

public class StateMigrationTests
{
    [Fact]
    public async Task A_state_folder_that_kept_every_float_frame_is_migrated_to_excerpts_and_the_run_goes_on()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "low.ogg"), "ogg", 4.0, 220);
        AudioFactory.Tone(Path.Combine(library, "high.flac"), "flac", 4.0, 1760);
        var options = TestJobs.OverFolder(folder, library, 2, GroupingMode.Strict) with
        {
            Embed = new EmbedOptions([Encoders.DspName, Encoders.ContrastiveName], new ContrastiveSettings(Epochs: 2, HiddenUnits: 16, Dimension: 8)),
        };
        await new JobRunner(options, new RecordingProgress()).RunAsync();

        // Turn the state into the previous layout: float frames (768 KB a track) in log_mel, no excerpt columns, and a
        // contrastive vector made from those frames.
        var database = Path.Combine(options.StateFolder, StateStore.FileName);
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                ALTER TABLE analysis_cache DROP COLUMN fingerprint_tried;
                ALTER TABLE analysis_cache DROP COLUMN log_mel_excerpt;
                ALTER TABLE analysis_cache ADD COLUMN log_mel BLOB;
                ALTER TABLE analysis_cache ADD COLUMN log_mel_bands INTEGER;
                UPDATE analysis_cache SET log_mel = zeroblob(768000), log_mel_bands = 64;
                DROP TABLE analysis_failures;
                INSERT INTO embeddings SELECT path, 'contrastive-0123456789ab', size_bytes, mtime_ticks, zeroblob(32) FROM analysis_cache;
                """;
            command.ExecuteNonQuery();
        }
        Assert.True(new FileInfo(database).Length > 1_500_000);

        var migrated = await new JobRunner(options, new RecordingProgress()).RunAsync();

        // The analyses stay; each track is analysed once more to keep its excerpt, and the encoder's vectors are remade.
        Assert.Equal((2, 0, 0), (migrated.Analysis!.Analysed, migrated.Analysis.FromCache, migrated.Analysis.Failed));
        var contrastive = migrated.Embeddings.Single(e => e.ModelVersion.StartsWith(Encoders.ContrastiveName + "-"));
        Assert.Equal((2, 0), (contrastive.Computed, contrastive.FromStore));
        Assert.InRange(new FileInfo(database).Length, 1, 400_000);
        using (var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT (SELECT count(*) FROM pragma_table_info('analysis_cache') WHERE name LIKE 'log_mel%' AND name <> 'log_mel_excerpt'),
                       (SELECT count(*) FROM embeddings WHERE model_version = 'contrastive-0123456789ab'),
                       (SELECT count(*) FROM analysis_cache WHERE length(log_mel_excerpt) > 0)
                """;
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal((0L, 0L, 2L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }
    }
}
