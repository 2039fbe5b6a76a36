package dev.tracefix.server.kernel.sql;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Set;

/**
 * A notebook's JDBC connection under a {@link SqlLock}: SQL text reaches DuckDB only after {@link
 * LockedStatements} let it through, whichever path it takes (SQL cells, a Java cell's {@code
 * sql(...)}, minimize and analyst queries), and DuckDB's own refusals come back explained. The
 * underlying DuckDB connection is not handed out ({@code unwrap}), so nothing gets around the
 * checks.
 */
final class LockedConnection implements InvocationHandler {
  /** Statement methods whose first argument is SQL text to run. */
  private static final Set<String> RUNS_SQL =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch");

  private final Object target;
  private final SqlLock lock;
  private final LockedStatements statements;

  /** The proxy of the connection: statements answer {@code getConnection} with it. */
  private Connection connection;

  private LockedConnection(Object target, SqlLock lock, Connection connection) {
    this.target = target;
    this.lock = lock;
    this.statements = new LockedStatements(lock);
    this.connection = connection;
  }

  static Connection wrap(Connection connection, SqlLock lock) {
    LockedConnection handler = new LockedConnection(connection, lock, null);
    Connection proxy =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    handler.connection = proxy;
    return proxy;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    switch (name) {
      case "unwrap" -> {
        Class<?> type = (Class<?>) args[0];
        if (type.isInstance(proxy)) {
          return proxy;
        }
        throw new SQLException("a locked notebook connection is not a " + type.getName());
      }
      case "isWrapperFor" -> {
        return ((Class<?>) args[0]).isInstance(proxy);
      }
      case "getConnection" -> {
        if (target instanceof Statement) {
          return connection;
        }
      }
      default -> {
        // checked below
      }
    }
    boolean textFirst = args != null && args.length > 0 && args[0] instanceof String;
    if (textFirst && (RUNS_SQL.contains(name) || name.startsWith("prepare"))) {
      Optional<String> why = statements.refusal((String) args[0]);
      if (why.isPresent()) {
        throw lock.refusal(why.get());
      }
    }
    Object result;
    try {
      result = method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof SQLException sql ? lock.explain(sql) : e.getCause();
    }
    return wrapped(result, method.getReturnType());
  }

  private Object wrapped(Object result, Class<?> type) {
    if (result == null
        || !(type == Statement.class
            || type == PreparedStatement.class
            || type == CallableStatement.class)) {
      return result;
    }
    return Proxy.newProxyInstance(
        type.getClassLoader(),
        new Class<?>[] {type},
        new LockedConnection(result, lock, connection));
  }
}
