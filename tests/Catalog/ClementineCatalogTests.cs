using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Catalog;

public class ClementineCatalogTests
{
    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void Reads_schema_v51_rows_with_decoded_urls_ratings_lengths_and_unavailable_flags()
    {
        using var folder = new TempFolder();
        var db = folder.File("clementine.db");
        ClementineDatabaseWriter.Create(db,
        [
            new ClementineSong("/music/Björk/Homogenic/01 Hunter.flac", Title: "Hunter", Artist: "Björk", Rating: 0.6, LengthNanoseconds: 255_000_000_000, Year: 1997),
            new ClementineSong("/music/a b/it's \"quoted\" #1 100%.mp3", Title: "Quoted", Rating: null),
            new ClementineSong("/music/音楽/曲.ogg", Rating: 1.0),
            new ClementineSong("/music/gone.mp3", Unavailable: true),
            new ClementineSong("", RawFilenameUrl: "http://radio.example/stream"),
        ]);

        var tracks = new ClementineCatalog(db).ReadTracks().ToList();

        Assert.Equal(5, tracks.Count);
        Assert.Equal("/music/Björk/Homogenic/01 Hunter.flac", tracks[0].Path);
        Assert.Equal(0.6f, tracks[0].Rating);
        Assert.Equal(255.0, tracks[0].CatalogDurationSeconds);
        Assert.Equal(1997, tracks[0].Year);
        Assert.Equal("Björk", tracks[0].Artist);
        Assert.Equal("/music/a b/it's \"quoted\" #1 100%.mp3", tracks[1].Path);
        Assert.Null(tracks[1].Rating);
        Assert.Null(tracks[1].Year);
        Assert.Equal("/music/音楽/曲.ogg", tracks[2].Path);
        Assert.Equal(1.0f, tracks[2].Rating);
        Assert.True(tracks[3].Unavailable);
        Assert.Equal("http://radio.example/stream", tracks[4].UnreadableLocation);
    }

    [Fact]
    public void Stored_urls_are_percent_encoded_blobs_as_clementine_writes_them()
    {
        using var folder = new TempFolder();
        var db = folder.File("clementine.db");
        ClementineDatabaseWriter.Create(db, [new ClementineSong("/m/é x.mp3", Rating: 0.6)]);
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT typeof(filename), CAST(filename AS TEXT), rating FROM songs";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("blob", reader.GetString(0));
        Assert.Equal("file:///m/%C3%A9%20x.mp3", reader.GetString(1));
        Assert.Equal(0.6000000238418579, reader.GetDouble(2));
    }

    [Fact]
    public void Reading_leaves_the_database_byte_identical_and_creates_no_side_files()
    {
        using var folder = new TempFolder();
        var db = folder.File("clementine.db");
        ClementineDatabaseWriter.Create(db, Enumerable.Range(0, 200).Select(i => new ClementineSong($"/m/{i}.mp3", Rating: i % 3 == 0 ? 0.8 : null)));
        var before = Sha256(db);
        var filesBefore = Directory.GetFiles(folder.Path).Order().ToArray();
        var writeTime = File.GetLastWriteTimeUtc(db);

        Assert.Equal(200, new ClementineCatalog(db).ReadTracks().Count());
        Assert.Equal(200, new ClementineCatalog(db).ReadTracks().Count());

        Assert.Equal(before, Sha256(db));
        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(db));
        Assert.Equal(filesBefore, Directory.GetFiles(folder.Path).Order().ToArray());
    }

    [Fact]
    public void A_read_only_database_file_can_be_read()
    {
        using var folder = new TempFolder();
        var db = folder.File("clementine.db");
        ClementineDatabaseWriter.Create(db, [new ClementineSong("/m/a.mp3")]);
        File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Single(new ClementineCatalog(db).ReadTracks());
    }

    [Fact]
    public void Missing_corrupt_and_foreign_databases_fail_with_clear_messages()
    {
        using var folder = new TempFolder();
        var missing = Assert.Throws<CatalogException>(() => new ClementineCatalog(folder.File("none.db")).ReadTracks().ToList());
        Assert.Contains("not found", missing.Message);

        var garbage = folder.Write("garbage.db", Enumerable.Repeat((byte)0x5A, 8192).ToArray());
        var corrupt = Assert.Throws<CatalogException>(() => new ClementineCatalog(garbage).ReadTracks().ToList());
        Assert.Contains("corrupt or not an SQLite file", corrupt.Message);

        var foreign = folder.File("foreign.db");
        using (var c = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE albums (name TEXT)";
            cmd.ExecuteNonQuery();
        }
        var notClementine = Assert.Throws<CatalogException>(() => new ClementineCatalog(foreign).ReadTracks().ToList());
        Assert.Contains("no 'songs' table", notClementine.Message);
    }

    [Fact]
    public void A_database_locked_by_another_writer_is_reported_as_locked()
    {
        using var folder = new TempFolder();
        var db = folder.File("clementine.db");
        ClementineDatabaseWriter.Create(db, [new ClementineSong("/m/a.mp3")]);
        using var writer = new SqliteConnection($"Data Source={db};Pooling=False");
        writer.Open();
        using (var command = writer.CreateCommand())
        {
            command.CommandText = "BEGIN EXCLUSIVE";
            command.ExecuteNonQuery();
        }
        var error = Assert.Throws<CatalogException>(() => new ClementineCatalog(db).ReadTracks().ToList());
        Assert.Contains("locked", error.Message);
    }
}
