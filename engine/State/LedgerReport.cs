using Microsoft.Data.Sqlite;

namespace SSIS.Batch.Engine.State;

/// <summary>What the ledger says of one run: work per stage and status, errors and skips by code, the slowest files.</summary>
public sealed record LedgerReport(
    string RunId,
    IReadOnlyList<StageStatusCount> Stages,
    IReadOnlyList<ErrorCount> Errors,
    IReadOnlyList<SlowFile> Slowest);

public sealed record StageStatusCount(string Stage, string Status, int Files, double TotalMs);

public sealed record ErrorCount(string Stage, string Code, int Files, string Example);

public sealed record SlowFile(string Stage, string Path, double DurationMs);

public static class LedgerReports
{
    /// <summary>Reads the ledger of <paramref name="runId"/> from the state store, read-only.</summary>
    public static LedgerReport Read(string stateFolder, string runId, int slowest = 10)
    {
        var path = System.IO.Path.Combine(stateFolder, StateStore.FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No state store at {path}.", path);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return new LedgerReport(
            runId,
            Query(connection, runId, "SELECT stage, status, count(*), sum(duration_ms) FROM ledger WHERE run_id = $run GROUP BY stage, status ORDER BY stage, status",
                r => new StageStatusCount(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetDouble(3))),
            Query(connection, runId, """
                SELECT stage, error_code, count(*), min(path || ': ' || error_message) FROM ledger
                WHERE run_id = $run AND error_code IS NOT NULL GROUP BY stage, error_code ORDER BY count(*) DESC
                """, r => new ErrorCount(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3))),
            Query(connection, runId, $"SELECT stage, path, duration_ms FROM ledger WHERE run_id = $run AND duration_ms > 0 ORDER BY duration_ms DESC LIMIT {slowest}",
                r => new SlowFile(r.GetString(0), r.GetString(1), r.GetDouble(2))));
    }

    private static List<T> Query<T>(SqliteConnection connection, string runId, string sql, Func<SqliteDataReader, T> row)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(row(reader));
        return rows;
    }
}
