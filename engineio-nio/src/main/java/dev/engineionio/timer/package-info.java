/**
 * Timers for the event loops: {@link dev.engineionio.timer.TimerWheel}, a hashed deadline wheel with time as an
 * argument, owned by one thread. Internal (not exported by the module).
 */
package dev.engineionio.timer;
