using Microsoft.Data.Sqlite;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Jobs.Demo;

/// <summary>One row of a Clementine songs table, as the demo and the tests write it.</summary>
public sealed record ClementineSong(
    string Path,
    string? Title = null,
    string? Artist = null,
    string? Album = null,
    string? Composer = null,
    int Year = -1,
    string? Genre = null,
    double? Rating = null,
    long LengthNanoseconds = -1,
    long FileSizeBytes = 0,
    bool Unavailable = false,
    string? RawFilenameUrl = null);

/// <summary>
/// Writes a new database with Clementine's schema v51 (the 42-column songs table and its FTS3 index), for demo
/// libraries and tests. It only ever creates a fresh file: the engine never writes a user's Clementine database.
/// </summary>
public static class ClementineDatabaseWriter
{
    public const string SongsTableSql = """
        CREATE TABLE songs (
          title TEXT, album TEXT, artist TEXT, albumartist TEXT, composer TEXT, track INTEGER, disc INTEGER, bpm REAL,
          year INTEGER, genre TEXT, comment TEXT, compilation INTEGER, length INTEGER, bitrate INTEGER, samplerate INTEGER,
          directory INTEGER NOT NULL, filename TEXT NOT NULL, mtime INTEGER NOT NULL, ctime INTEGER NOT NULL,
          filesize INTEGER NOT NULL, sampler INTEGER NOT NULL DEFAULT 0, art_automatic TEXT, art_manual TEXT,
          filetype INTEGER NOT NULL DEFAULT 0, playcount INTEGER NOT NULL DEFAULT 0, lastplayed INTEGER, rating INTEGER,
          forced_compilation_on INTEGER NOT NULL DEFAULT 0, forced_compilation_off INTEGER NOT NULL DEFAULT 0,
          effective_compilation NOT NULL DEFAULT 0, skipcount INTEGER NOT NULL DEFAULT 0, score INTEGER NOT NULL DEFAULT 0,
          beginning INTEGER NOT NULL DEFAULT 0, cue_path TEXT, unavailable INTEGER DEFAULT 0, effective_albumartist TEXT,
          etag TEXT, performer TEXT, grouping TEXT, lyrics TEXT, originalyear INTEGER, effective_originalyear INTEGER)
        """;

    /// <summary>Writes the database beside its path and renames it there: a reader never sees half of one.</summary>
    public static void Create(string databasePath, IEnumerable<ClementineSong> songs)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        AtomicFile.Write(databasePath, temp => Fill(temp, songs));
    }

    private static void Fill(string databasePath, IEnumerable<ClementineSong> songs)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, SongsTableSql);
        Execute(connection, """
            CREATE VIRTUAL TABLE songs_fts USING fts3(ftstitle, ftsalbum, ftsartist, ftsalbumartist, ftscomposer,
              ftsperformer, ftsgrouping, ftsgenre, ftscomment, tokenize=unicode61)
            """);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO songs (title, album, artist, albumartist, composer, year, genre, length, directory, filename, mtime,
              ctime, filesize, rating, unavailable, effective_albumartist)
            VALUES ($title, $album, $artist, $artist, $composer, $year, $genre, $length, 1, $filename, $mtime, $mtime,
              $size, $rating, $unavailable, $artist)
            """;
        foreach (var song in songs)
        {
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$title", (object?)song.Title ?? DBNull.Value);
            insert.Parameters.AddWithValue("$album", (object?)song.Album ?? DBNull.Value);
            insert.Parameters.AddWithValue("$artist", (object?)song.Artist ?? DBNull.Value);
            insert.Parameters.AddWithValue("$composer", (object?)song.Composer ?? DBNull.Value);
            insert.Parameters.AddWithValue("$year", song.Year);
            insert.Parameters.AddWithValue("$genre", (object?)song.Genre ?? DBNull.Value);
            insert.Parameters.AddWithValue("$length", song.LengthNanoseconds);
            // Clementine binds the URL as a QByteArray, so SQLite stores a BLOB.
            insert.Parameters.AddWithValue("$filename", System.Text.Encoding.UTF8.GetBytes(song.RawFilenameUrl ?? FileUrl.FromLocalPath(song.Path)));
            insert.Parameters.AddWithValue("$mtime", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            insert.Parameters.AddWithValue("$size", song.FileSizeBytes);
            // Clementine stores floats such as 0.6000000238418579 (a float widened to double) and -1 for unrated.
            insert.Parameters.AddWithValue("$rating", song.Rating is { } r ? (double)(float)r : -1.0);
            insert.Parameters.AddWithValue("$unavailable", song.Unavailable ? 1 : 0);
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
