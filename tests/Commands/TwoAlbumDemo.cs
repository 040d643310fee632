using Microsoft.Data.Sqlite;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Commands;

/// <summary>
/// The demo library with two albums — Debian's wesnoth-1.16-music is tagged "The Battle for Wesnoth OST", and the
/// Planet Blupi excerpts get the album "Planet Blupi" in the catalog — run once by the real <c>ssis run --json</c>
/// (dsp embeddings only, so the model reads dsp: these tests are about the commands, not the rating input), for the
/// tests of the commands that explore a run's outputs.
/// </summary>
public sealed class TwoAlbumDemo : IDisposable
{
    public const string BlupiAlbum = "Planet Blupi";

    private readonly TempFolder _folder = new();

    public string Root => _folder.Path;
    public string Output => _folder.File("out");
    public (int Exit, string Output, string Errors) Run { get; }

    public TwoAlbumDemo()
    {
        var database = DemoLibraryBuilder.Build(Repo.WesnothMusic, Repo.PlanetBlupiMusic, _folder.File("demo"), TextWriter.Null);
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var tag = connection.CreateCommand();
            tag.CommandText = "UPDATE songs SET album = $album WHERE artist = $album";
            tag.Parameters.AddWithValue("$album", BlupiAlbum);
            tag.ExecuteNonQuery();
        }
        var config = _folder.Write("job.yaml", """
            catalog:
              clementine: demo/clementine.db
            output: out
            group:
              mode: duration
              duration_tolerance_s: 2.0
            embed:
              encoders: [dsp]
            recommend:
              top_n: 10
            """u8.ToArray());
        Run = SsisProcess.Run(Root, "run", config, "--json");
    }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TwoAlbumDemoCollection : ICollectionFixture<TwoAlbumDemo>
{
    public const string Name = "two-album demo run";
}
